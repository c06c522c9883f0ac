import NNProtocols

/// Reads FANN's `.data` training files, so FANN users' data sets load unchanged.
///
/// The format (as `fann_save_train` writes it): a header line `count inputs outputs`, then for each of
/// the `count` samples a line of `inputs` numbers and a line of `outputs` numbers, separated by spaces
/// or tabs. Blank lines are skipped. The outputs become regression targets (FANN's classifiers use one
/// output per class with 0/1 or −1/+1 values; train them with a loss that fits those values).
///
/// ```
/// 4 2 1
/// 0 0
/// 0
/// 0 1
/// 1
/// …
/// ```
public struct FANNReader: Sendable {
  /// A reader (it has no settings).
  public init() {}

  /// Reads the file at `path`, relative to `baseDirectory` unless absolute.
  public func read(path: String, baseDirectory: String = "") throws -> Dataset {
    let bytes = try DataFile.read(DataFile.resolve(path, against: baseDirectory), displayName: path)
    return try read(bytes: bytes, file: path)
  }

  /// Reads FANN text held in memory; `file` names it in errors and gives the data set its name.
  public func read(bytes: [UInt8], file: String) throws -> Dataset {
    try DataFile.refuseGzip(bytes, file: file)
    return try bytes.withUnsafeBufferPointer { buffer in
      var lines = WhitespaceLines(
        base: buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!, count: buffer.count, file: file)
      guard let header = lines.next() else {
        throw InputError(
          file: file, "the file is empty; expected a header line 'count inputs outputs'")
      }
      guard header.tokens.count == 3 else {
        throw lines.error(
          at: header.place,
          "the header has \(header.tokens.count) value\(header.tokens.count == 1 ? "" : "s");"
            + " expected 3: the number of samples, of inputs and of outputs")
      }
      let meaning = ["number of samples", "number of inputs", "number of outputs"]
      var sizes: [Int] = []
      for (k, token) in header.tokens.enumerated() {
        guard let value = Int(lines.text(token)), value >= 1 else {
          throw lines.error(
            at: token.place,
            "'\(lines.text(token))' is not a valid \(meaning[k]); expected a whole number ≥ 1")
        }
        sizes.append(value)
      }
      let (count, inputs, outputs) = (sizes[0], sizes[1], sizes[2])
      // Every number takes at least one byte: a header promising more numbers than the file has
      // bytes is refused before the matrices are allocated.
      let (width, wideOverflow) = inputs.addingReportingOverflow(outputs)
      let (numbers, overflow) = count.multipliedReportingOverflow(by: width)
      guard !wideOverflow, !overflow, numbers <= buffer.count else {
        throw lines.error(
          at: header.place,
          "the header promises \(count) samples of \(inputs) inputs and \(outputs) outputs, more"
            + " numbers than the file's \(buffer.count) bytes can hold",
          hint: "correct the header: 'count inputs outputs'")
      }
      let features = Matrix<Double>(rows: count, cols: inputs)
      let targets = Matrix<Double>(rows: count, cols: outputs)
      for sample in 0..<count {
        for (part, width, matrix) in [("inputs", inputs, features), ("outputs", outputs, targets)] {
          guard let line = lines.next() else {
            throw InputError(
              file: file, line: lines.line,
              "the header (line \(header.place.line)) promises \(count) samples, but the file"
                + " ends at sample \(sample + 1)'s \(part) line; expected an input line and an"
                + " output line for each sample",
              hint: "correct the sample count in the header to \(sample)")
          }
          guard line.tokens.count == width else {
            throw lines.error(
              at: line.place,
              "sample \(sample + 1) has \(line.tokens.count) \(part); expected \(width), as the"
                + " header (line \(header.place.line)) says")
          }
          let row = matrix.base + sample * width
          for (k, token) in line.tokens.enumerated() {
            switch NumberParser.parse(lines.base, from: token.place.offset, to: token.end) {
            case .value(let value): row[k] = value
            case .nonFinite:
              throw lines.error(
                at: token.place,
                "'\(lines.text(token))' is NaN or infinite; expected a finite number")
            default:
              throw lines.error(
                at: token.place, "'\(lines.text(token))' is not a number; expected a number")
            }
          }
        }
      }
      if let extra = lines.next() {
        throw lines.error(
          at: extra.place,
          "the header (line \(header.place.line)) promises \(count) samples, but more lines"
            + " follow them; expected the end of the file",
          hint: "correct the sample count in the header")
      }
      return Dataset(name: fileName(file), features: features, targets: targets)
    }
  }
}

/// The non-blank lines of a text, each split into tokens at spaces and tabs.
struct WhitespaceLines {
  /// One token: its place and where it ends.
  struct Token {
    var place: TextPlace
    var end: Int
  }

  /// One non-blank line.
  struct Line {
    var place: TextPlace
    var tokens: [Token]
  }

  let base: UnsafePointer<UInt8>
  let count: Int
  let file: String
  private var position = 0
  /// The 1-based number of the next line to read.
  private(set) var line = 1

  init(base: UnsafePointer<UInt8>, count: Int, file: String) {
    self.base = base
    self.count = count
    self.file = file
  }

  /// The next line holding a token, or `nil` at the end of the text.
  mutating func next() -> Line? {
    while position < count {
      let lineStart = position
      let number = line
      var tokens: [Token] = []
      while position < count, base[position] != 0x0A {
        let byte = base[position]
        if byte == 0x20 || byte == 0x09 || byte == 0x0D {
          position += 1
          continue
        }
        let start = position
        while position < count {
          let b = base[position]
          if b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A { break }
          position += 1
        }
        tokens.append(
          Token(place: TextPlace(line: number, lineStart: lineStart, offset: start), end: position))
      }
      if position < count { position += 1 }
      line += 1
      if !tokens.isEmpty {
        return Line(
          place: TextPlace(line: number, lineStart: lineStart, offset: lineStart), tokens: tokens)
      }
    }
    return nil
  }

  /// The text of a token.
  func text(_ token: Token) -> String {
    String(
      decoding: UnsafeBufferPointer(
        start: base + token.place.offset, count: token.end - token.place.offset),
      as: UTF8.self)
  }

  /// An error at `place`.
  func error(at place: TextPlace, _ message: String, hint: String? = nil) -> InputError {
    place.error(file: file, in: base, count: count, message, hint: hint)
  }
}
