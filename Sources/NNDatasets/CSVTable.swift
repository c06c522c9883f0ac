import NNProtocols

/// The rows of a CSV file as they are read: numbers go straight into the feature and target matrices;
/// the target cells of a classification are kept as byte ranges until the class names are known.
struct CSVTable {
  let layout: CSVLayout
  let scanner: CSVScanner
  /// The number of cells every row must have.
  let width: Int
  /// The line that fixed `width` (the header or the first row), for messages.
  let widthLine: Int
  let widthSource: String

  private var features: Matrix<Double>
  private var targets: Matrix<Double>
  private let featureCount: Int
  private let targetCount: Int
  /// Rows read so far.
  private(set) var rows = 0
  /// Rows the matrices have room for.
  private var capacity: Int
  /// The target cells, one per row, when they may be class labels.
  private var labels: [CSVSpan] = []
  /// The first target cell that is not a number, if any (it makes `task=auto` a classification).
  private var firstText: CSVCell?

  init(
    layout: CSVLayout, scanner: CSVScanner, estimatedRows: Int, widthLine: Int, hasHeader: Bool
  ) {
    self.layout = layout
    self.scanner = scanner
    width = layout.names.count
    self.widthLine = widthLine
    widthSource = hasHeader ? "the header (line \(widthLine))" : "line \(widthLine)"
    featureCount = layout.featureColumns.count
    targetCount = layout.targetColumns.count
    capacity = max(estimatedRows, 1)
    features = Matrix(rows: capacity, cols: featureCount)
    targets = Matrix(rows: capacity, cols: targetCount)
    if layout.keepsLabels { labels.reserveCapacity(capacity) }
  }

  /// Adds one row, checking that it has `width` cells and that every feature and target cell holds a
  /// finite number (or, for a classification target, a label).
  mutating func append(_ cells: [CSVCell]) throws {
    guard cells.count == width else { throw raggedRow(cells) }
    if rows == capacity { grow() }
    let featureRow = features.base + rows * featureCount
    let targetRow = targets.base + rows * targetCount
    for column in 0..<width {
      switch layout.roles[column] {
      case .unused:
        continue
      case .feature(let position):
        let cell = cells[column]
        switch scanner.number(in: cell) {
        case .value(let value): featureRow[position] = value
        case let problem: throw badCell(cell, column: column, problem, role: "feature")
        }
      case .target(let position):
        let cell = cells[column]
        switch scanner.number(in: cell) {
        case .value(let value):
          targetRow[position] = value
        case .invalid where layout.keepsLabels:
          try scanner.checkUTF8(cell)
          if firstText == nil { firstText = cell }
          targetRow[position] = .nan
        case let problem: throw badCell(cell, column: column, problem, role: "target")
        }
        if layout.keepsLabels { labels.append(CSVSpan(cell)) }
      }
    }
    if layout.isOneHot { try checkOneHot(targetRow, cells) }
    rows += 1
  }

  /// Doubles the room in the matrices (only when the row estimate was too small).
  private mutating func grow() {
    capacity *= 2
    for matrix in [\Self.features, \Self.targets] {
      let old = self[keyPath: matrix]
      let new = Matrix<Double>(rows: capacity, cols: old.cols)
      new.base.update(from: old.base, count: rows * old.cols)
      self[keyPath: matrix] = new
    }
  }

  /// One-hot targets hold 0s and a single 1.
  private func checkOneHot(_ row: UnsafeMutablePointer<Double>, _ cells: [CSVCell]) throws {
    var ones = 0
    for (position, column) in layout.targetColumns.enumerated() {
      let value = row[position]
      if value == 1 {
        ones += 1
      } else if value != 0 {
        throw error(
          at: cells[column].place,
          "one-hot target \(layout.describe(column: column)) holds \(formatReal(value)); expected 0"
            + " or 1")
      }
    }
    if ones != 1 {
      throw error(
        at: cells[layout.targetColumns[0]].place,
        "the one-hot target columns of this row hold \(ones) ones; expected exactly one 1 (the"
          + " sample's class)")
    }
  }

  /// The data set read, with class indices in place of class labels.
  func dataset(name: String) throws -> Dataset {
    let featureNames = layout.featureColumns.map { layout.names[$0] }
    let targetNames = layout.targetColumns.map { layout.names[$0] }
    let features = trimmed(self.features)
    let targets = trimmed(self.targets)
    if layout.isOneHot {
      // The class is the position of the 1.
      let classes = Matrix<Double>(rows: rows, cols: 1)
      for row in 0..<rows {
        let offset = row * targetCount
        classes.base[row] = Double((0..<targetCount).first { targets.base[offset + $0] == 1 } ?? 0)
      }
      return Dataset(
        name: name, features: features, targets: classes, featureNames: featureNames,
        targetNames: ["class"], classNames: targetNames)
    }
    let isClassification =
      layout.keepsLabels && (layout.task == .classification || firstText != nil)
    guard isClassification else {
      return Dataset(
        name: name, features: features, targets: targets, featureNames: featureNames,
        targetNames: targetNames)
    }
    let classNames = firstText == nil ? numericClasses(targets) : textClasses(targets)
    return Dataset(
      name: name, features: features, targets: targets, featureNames: featureNames,
      targetNames: targetNames, classNames: classNames)
  }

  /// Numeric labels: the classes are the distinct values in ascending order (`1` and `1.0` are one
  /// class, named `1`); each value is replaced by its class index.
  private func numericClasses(_ targets: Matrix<Double>) -> [String] {
    let values = Set(UnsafeBufferPointer(start: targets.base, count: rows)).sorted()
    let index = Dictionary(uniqueKeysWithValues: values.enumerated().map { ($1, Double($0)) })
    for row in 0..<rows { targets.base[row] = index[targets.base[row]]! }
    return values.map(formatReal)
  }

  /// Text labels: the classes are the distinct labels sorted by text; each is replaced by its index.
  private func textClasses(_ targets: Matrix<Double>) -> [String] {
    var indexOfLabel: [String: Int] = [:]
    var rowLabels = [Int](repeating: 0, count: rows)
    var names: [String] = []
    for row in 0..<rows {
      let label = scanner.text(of: labels[row])
      if let known = indexOfLabel[label] {
        rowLabels[row] = known
      } else {
        indexOfLabel[label] = names.count
        rowLabels[row] = names.count
        names.append(label)
      }
    }
    // First-appearance indices → sorted indices.
    let order = names.indices.sorted { names[$0] < names[$1] }
    var sortedIndex = [Int](repeating: 0, count: names.count)
    for (position, original) in order.enumerated() { sortedIndex[original] = position }
    for row in 0..<rows { targets.base[row] = Double(sortedIndex[rowLabels[row]]) }
    return order.map { names[$0] }
  }

  /// The first `rows` rows: a view when little room is wasted, else a compact copy.
  private func trimmed(_ matrix: Matrix<Double>) -> Matrix<Double> {
    let view = matrix.rows(0..<rows)
    return capacity - rows <= 16 + rows / 64 ? view : view.copy()
  }

  // MARK: Errors

  private func error(at place: TextPlace, _ message: String, hint: String? = nil) -> InputError {
    place.error(file: scanner.file, in: scanner.base, count: scanner.count, message, hint: hint)
  }

  /// An error for a cell that is empty, not a number, or NaN/infinite.
  private func badCell(_ cell: CSVCell, column: Int, _ problem: ParsedNumber, role: String)
    -> InputError
  {
    let columnText = layout.describe(column: column)
    switch problem {
    case .empty:
      return error(
        at: cell.place,
        "empty cell in \(columnText); expected "
          + (role == "target" && layout.keepsLabels ? "a class label or a number" : "a number"),
        hint: "fill in or remove rows with missing values before training")
    case .nonFinite:
      return error(
        at: cell.place,
        "'\(shortText(cell))' in \(columnText) is NaN or infinite; expected a finite number",
        hint: "fill in or remove rows with missing values before training")
    default:
      let reason: String
      if role == "feature" {
        reason = "expected a number (features are numbers)"
      } else if layout.task == .regression {
        reason = "expected a number (task=regression)"
        return error(
          at: cell.place, "'\(shortText(cell))' in \(columnText) is not a number; \(reason)",
          hint: "for class labels, use task=classification")
      } else {
        reason =
          "expected a number (several target columns are numeric regression targets, or one-hot"
          + " 0/1 columns with task=classification)"
      }
      return error(
        at: cell.place, "'\(shortText(cell))' in \(columnText) is not a number; \(reason)")
    }
  }

  /// A cell's text, shortened for a message.
  private func shortText(_ cell: CSVCell) -> String {
    let text = scanner.text(of: cell)
    return text.count > 40 ? text.prefix(37) + "..." : text
  }

  /// An error for a row with too few or too many cells.
  private func raggedRow(_ cells: [CSVCell]) -> InputError {
    let message =
      "row has \(cells.count) cell\(cells.count == 1 ? "" : "s"); expected \(width), as"
      + " \(widthSource) has"
    if cells.count > width {
      return error(at: cells[width].place, message)
    }
    // Point just past the last cell, on the line where it ends.
    let last = cells[cells.count - 1]
    var place = last.place
    place.offset = last.end + (last.quoted ? 1 : 0)
    var i = last.place.offset
    while i < place.offset {
      if scanner.base[i] == 0x0A {
        place.line += 1
        place.lineStart = i + 1
      }
      i += 1
    }
    return error(at: place, message, hint: "a cell holding the delimiter must be quoted: \"a,b\"")
  }
}
