import NNProtocols

/// What each column of a CSV file is for: a feature, a target, or nothing; resolved from the header and
/// the reader's `features`/`targets` selections, with an error naming any column that cannot be found.
struct CSVLayout {
  /// The role of one column of the file.
  enum Role {
    case unused
    /// The feature at this position of a sample.
    case feature(Int)
    /// The target at this position.
    case target(Int)
  }

  /// The column names: the header's cells, or `column1`, `column2`, … without a header.
  let names: [String]
  /// One role per column of the file.
  let roles: [Role]
  /// The 0-based columns of the features, in sample order.
  let featureColumns: [Int]
  /// The 0-based columns of the targets.
  let targetColumns: [Int]
  /// The task as declared (`auto` is settled once the targets have been read).
  let task: CSVReader.Task
  /// Where errors point: the file and its header line (if any).
  let file: String
  let headerLine: Int?

  /// Several target columns read as one-hot classes.
  var isOneHot: Bool { task == .classification && targetColumns.count > 1 }
  /// Whether the target cells are kept as text, to become class labels.
  var keepsLabels: Bool { task != .regression && targetColumns.count == 1 }

  init(
    names: [String], hasHeader: Bool, features: [ColumnSelector]?, targets: [ColumnSelector]?,
    task: CSVReader.Task, file: String, headerLine: Int?
  ) throws {
    self.names = names
    self.task = task
    self.file = file
    self.headerLine = headerLine

    func fail(_ message: String, hint: String? = nil) -> InputError {
      InputError(file: file, line: headerLine, message, hint: hint)
    }
    func column(_ selector: ColumnSelector, in option: String) throws -> Int {
      switch selector {
      case .index(let position):
        guard position <= names.count else {
          throw fail(
            "\(option): column \(position) does not exist; the file has \(names.count) column"
              + (names.count == 1 ? "" : "s"))
        }
        return position - 1
      case .range(let range):
        return try column(.index(range.lowerBound), in: option)  // (`columns` checks the rest)
      case .name(let name):
        guard hasHeader else {
          throw fail(
            "\(option): the file has no header line, so there is no column named '\(name)'",
            hint: "choose columns by 1-based position, e.g. \(option)=1")
        }
        let matches = names.indices.filter { names[$0] == name }
        if matches.isEmpty {
          let suggestion = closestName(to: name, in: names).map { "; did you mean '\($0)'?" }
          throw fail(
            "\(option): unknown column '\(name)'"
              + (suggestion ?? "; the columns are: \(names.joined(separator: ", "))"))
        }
        if matches.count > 1 {
          throw fail(
            "\(option): the header names \(matches.count) columns '\(name)' (columns "
              + matches.map { String($0 + 1) }.joined(separator: ", ") + ")",
            hint: "choose the column by its 1-based position")
        }
        return matches[0]
      }
    }
    func columns(_ selectors: [ColumnSelector], in option: String) throws -> [Int] {
      var chosen: [Int] = []
      var seen: Set<Int> = []
      for selector in selectors {
        // A range is checked against the file's columns before it is listed.
        var indices: [Int]
        if case .range(let range) = selector {
          guard range.upperBound <= names.count else {
            throw fail(
              "\(option): the column range \(selector) goes past the last column; the file has"
                + " \(names.count) column" + (names.count == 1 ? "" : "s"))
          }
          indices = Array(range.lowerBound - 1..<range.upperBound)
        } else {
          indices = [try column(selector, in: option)]
        }
        for index in indices {
          if !seen.insert(index).inserted {
            throw fail("\(option): column \(index + 1) ('\(names[index])') is chosen twice")
          }
          chosen.append(index)
        }
      }
      return chosen
    }

    let targetColumns = try columns(targets ?? [.index(names.count)], in: "target")
    var featureColumns: [Int]
    if let features, !features.isEmpty {
      featureColumns = try columns(features, in: "features")
      if let both = featureColumns.first(where: targetColumns.contains) {
        throw fail(
          "column \(both + 1) ('\(names[both])') is both a target and a feature",
          hint: "leave it out of features=…, or choose another target")
      }
    } else {
      featureColumns = names.indices.filter { !targetColumns.contains($0) }
    }
    if featureColumns.isEmpty {
      throw fail(
        "no feature columns: the file has \(names.count) column"
          + (names.count == 1 ? "" : "s") + " and the target takes "
          + (targetColumns.count == 1 ? "it" : "them all"))
    }
    var roles = [Role](repeating: .unused, count: names.count)
    for (position, column) in featureColumns.enumerated() { roles[column] = .feature(position) }
    for (position, column) in targetColumns.enumerated() { roles[column] = .target(position) }
    self.roles = roles
    self.featureColumns = featureColumns
    self.targetColumns = targetColumns
  }

  /// `column 3 ('petal_length')`, for messages.
  func describe(column: Int) -> String {
    "column \(column + 1) ('\(names[column])')"
  }
}
