import NNProtocols

/// Reads a data set from a CSV file: one sample per line, numeric feature columns, and target columns
/// that are numbers (regression) or labels (classification).
///
/// - Header: declared (`header=true|false`) or detected (`auto`): the first line is a header when one of
///   its cells is not a number while the cell below it is.
///   Without a header, columns are named `column1`, `column2`, … and chosen by position.
/// - Targets: the last column by default; `target=NAME|POSITION`, several as a comma list for several
///   regression targets (`target=a,b`), or `none` for unlabelled data (features only, as `predict` reads).
/// - Features: every column that is not a target, or the list given (names, 1-based positions, ranges
///   `2-5`), in that order.
/// - Task: `auto` makes a target column holding any text a class label and a numeric one a regression
///   target; `classification` also makes numeric labels (e.g. digits 0–9) classes; `regression` refuses
///   text. Several target columns with `classification` are read as one-hot columns, one per class
///   (each row must hold a single 1 and otherwise 0s): the class names are then the column names.
/// - Classes: the class names are the distinct labels **sorted** (numerically when every label is a
///   number, else by text), so the same classes get the same indices in every file; the target is the
///   class index, one column (one-hot targets are not stored).
/// - Syntax: RFC 4180 quoting (`"a, b"`, `""` for a quote, line endings inside quotes), `\n` or `\r\n`
///   line endings, an optional final line ending, blank lines skipped, a UTF-8 byte-order mark skipped,
///   spaces around unquoted cells ignored.
///
/// Cells are parsed straight from the file's bytes (see `NumberParser`): about 100 MB of numbers per
/// second and core is the order of magnitude.
public struct CSVReader: Sendable {
  /// Whether the first line names the columns.
  public enum Header: String, Sendable, CaseIterable {
    /// Detected: a header when one of its cells is text while the cell below it is a number.
    case auto
    /// The first line is a header.
    case present = "true"
    /// Every line is data.
    case absent = "false"
  }

  /// What kind of targets the data set has.
  public enum Task: String, Sendable, CaseIterable {
    /// A target column holding text is a class label; a numeric one is a regression target.
    case auto
    /// The target column holds class labels (text or numbers), or several one-hot columns.
    case classification
    /// The target columns hold numbers.
    case regression
  }

  /// Default `.auto`.
  public var header: Header
  /// The byte separating cells. Default `,`.
  public var delimiter: UInt8
  /// The feature columns, in order; `nil` (the default) means every column that is not a target.
  public var features: [ColumnSelector]?
  /// The target columns; `nil` (the default) means the last column, `[]` means none.
  public var targets: [ColumnSelector]?
  /// Default `.auto`.
  public var task: Task

  /// A reader with the given settings (each defaulting as documented on its property).
  public init(
    header: Header = .auto, delimiter: UInt8 = UInt8(ascii: ","), features: [ColumnSelector]? = nil,
    targets: [ColumnSelector]? = nil, task: Task = .auto
  ) {
    self.header = header
    self.delimiter = delimiter
    self.features = features
    self.targets = targets
    self.task = task
  }

  /// The delimiter byte a word names: one ASCII character, or `comma`, `semicolon`, `tab`, `space`,
  /// `pipe` (or `\t`).
  public static func delimiter(named word: String) throws -> UInt8 {
    switch word {
    case "comma": return UInt8(ascii: ",")
    case "semicolon": return UInt8(ascii: ";")
    case "tab", "\\t": return 0x09
    case "space": return 0x20
    case "pipe": return UInt8(ascii: "|")
    default:
      let scalars = Array(word.unicodeScalars)
      guard scalars.count == 1, scalars[0].isASCII, scalars[0] != "\"", scalars[0] != "\n",
        scalars[0] != "\r"
      else {
        throw InputError(
          "delimiter '\(word)' is not one ASCII character; expected e.g. ',' or one of: comma,"
            + " semicolon, tab, space, pipe")
      }
      return UInt8(scalars[0].value)
    }
  }

  /// Reads the CSV file at `path`.
  ///
  /// - Parameters:
  ///   - path: the file, as the user wrote it (errors name it so).
  ///   - baseDirectory: the folder a relative `path` starts from. Default: the current folder.
  public func read(path: String, baseDirectory: String = "") throws -> Dataset {
    let bytes = try DataFile.read(DataFile.resolve(path, against: baseDirectory), displayName: path)
    return try read(bytes: bytes, file: path)
  }

  /// Reads CSV text held in memory; `file` names it in errors and gives the data set its name.
  public func read(bytes: [UInt8], file: String) throws -> Dataset {
    try DataFile.refuseGzip(bytes, file: file)
    return try bytes.withUnsafeBufferPointer { buffer in
      guard let base = buffer.baseAddress else { throw emptyFileError(file) }
      return try read(base: base, count: buffer.count, file: file)
    }
  }

  private func emptyFileError(_ file: String) -> InputError {
    InputError(
      file: file, "the file is empty; expected lines of cells separated by '\(delimiterText)'")
  }

  private var delimiterText: String {
    delimiter == 0x09 ? "\\t" : String(UnicodeScalar(delimiter))
  }

  private func read(base: UnsafePointer<UInt8>, count: Int, file: String) throws -> Dataset {
    var scanner = CSVScanner(base: base, count: count, delimiter: delimiter, file: file)
    if scanner.isBlank { throw emptyFileError(file) }
    var first: [CSVCell] = []
    var second: [CSVCell] = []
    _ = try scanner.nextRecord(into: &first)
    let hasSecond = try scanner.nextRecord(into: &second)
    let hasHeader: Bool
    switch header {
    case .present: hasHeader = true
    case .absent: hasHeader = false
    case .auto: hasHeader = looksLikeHeader(first, above: hasSecond ? second : nil, scanner)
    }
    let headerLine = first[0].place.line
    if hasHeader, !hasSecond {
      throw InputError(
        file: file, line: headerLine,
        "line \(headerLine) is a header, but no data rows follow it; expected at least one row",
        hint: header == .auto ? "if that line is data, say header=false" : nil)
    }
    if hasHeader { try first.forEach(scanner.checkUTF8) }
    let names =
      hasHeader ? first.map { scanner.text(of: $0) } : (1...first.count).map { "column\($0)" }
    let layout = try CSVLayout(
      names: names, hasHeader: hasHeader, features: features, targets: targets, task: task,
      file: file, headerLine: hasHeader ? headerLine : nil)
    var table = CSVTable(
      layout: layout, scanner: scanner, estimatedRows: newlineCount(base, count) + 1,
      widthLine: headerLine, hasHeader: hasHeader)
    if !hasHeader { try table.append(first) }
    if hasSecond {
      try table.append(second)
      var cells: [CSVCell] = []
      cells.reserveCapacity(first.count)
      while try scanner.nextRecord(into: &cells) { try table.append(cells) }
    }
    return try table.dataset(name: fileName(file))
  }

  /// Whether `first` is a header: one of its cells is text while the cell below it is a number (or,
  /// for a single line, one of its cells is text).
  private func looksLikeHeader(_ first: [CSVCell], above second: [CSVCell]?, _ scanner: CSVScanner)
    -> Bool
  {
    for (column, cell) in first.enumerated() where scanner.number(in: cell) == .invalid {
      guard let second else { return true }
      if column < second.count, case .value = scanner.number(in: second[column]) { return true }
    }
    return false
  }

  /// The number of `\n` bytes: an upper bound on the number of records, less one.
  private func newlineCount(_ base: UnsafePointer<UInt8>, _ count: Int) -> Int {
    var lines = 0
    for i in 0..<count where base[i] == 0x0A { lines += 1 }
    return lines
  }
}

/// The last component of a path: a data set's name.
func fileName(_ path: String) -> String {
  path.split(separator: "/").last.map(String.init) ?? path
}
