import Foundation
import NNPipeline
import NNProtocols
import Testing

/// `Documentation/ExtendingActivations.md` cannot rot: each fenced block in it is preceded by a marker
/// comment saying where it comes from, and these tests check it against that source.
///
/// - `<!-- snippet: NAME -->`: the block equals the lines between `// snippet: NAME` and
///   `// end-snippet` (`#` instead of `//` in `model.txt` and shell scripts) in this package's sources
///   or `.ci/custom-activation.sh`, with their common indentation removed.
/// - `<!-- file: PATH -->`: the block equals the whole file at `PATH` in this package.
/// - `<!-- session -->`: a terminal session. Each `$ swift run my-nnpipe ARGS` line runs this package's
///   command line, `$ swift run nnpipe ARGS` the plain one (both in this process, in a temporary
///   folder holding `model.txt` and `inputs.csv`, shared by the sessions in document order); `swift
///   build` and `swift test` lines are shown only. Every other line must be printed by the command above
///   it, where `…` stands for any text and a line of only `…` for lines not shown.
@Suite("Documentation/ExtendingActivations.md", .serialized)
struct DocumentationTests {
  static let documentPath = repositoryRoot.appendingPathComponent(
    "Documentation/ExtendingActivations.md"
  ).path

  /// Where a block comes from.
  enum Marker: Equatable {
    case snippet(String)
    case file(String)
    case session
  }

  /// A fenced block of the document.
  struct Block {
    var marker: Marker?
    /// The 1-based line of the opening fence.
    var line: Int
    var lines: [String]
  }

  /// The fenced blocks of `text`, each with the marker on the last non-blank line before it.
  static func blocks(in text: String) -> [Block] {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var blocks: [Block] = []
    var index = 0
    while index < lines.count {
      guard lines[index].hasPrefix("```") else {
        index += 1
        continue
      }
      let previous = lines[..<index].last { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
      let end = lines[(index + 1)...].firstIndex { $0.hasPrefix("```") } ?? lines.count
      blocks.append(
        Block(
          marker: previous.flatMap(marker), line: index + 1,
          lines: Array(lines[(index + 1)..<end])))
      index = end + 1
    }
    return blocks
  }

  /// The marker an HTML comment line names, if it is one.
  static func marker(_ line: String) -> Marker? {
    let text = line.trimmingCharacters(in: .whitespaces)
    guard text.hasPrefix("<!--"), text.hasSuffix("-->") else { return nil }
    let body = text.dropFirst(4).dropLast(3).trimmingCharacters(in: .whitespaces)
    if body == "session" { return .session }
    if body.hasPrefix("snippet:") {
      return .snippet(body.dropFirst(8).trimmingCharacters(in: .whitespaces))
    }
    if body.hasPrefix("file:") {
      return .file(body.dropFirst(5).trimmingCharacters(in: .whitespaces))
    }
    return nil
  }

  /// The files snippets are taken from: this package's manifest, model, sources and tests, and the
  /// CI script.
  static func snippetSources() throws -> [URL] {
    var files = [
      packageRoot.appendingPathComponent("Package.swift"),
      packageRoot.appendingPathComponent("model.txt"),
      repositoryRoot.appendingPathComponent(".ci/custom-activation.sh"),
    ]
    for folder in ["Sources", "Tests"] {
      let root = packageRoot.appendingPathComponent(folder)
      let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
      while let url = enumerator?.nextObject() as? URL {
        if url.pathExtension == "swift" { files.append(url) }
      }
    }
    return files.filter { FileManager.default.fileExists(atPath: $0.path) }
  }

  /// Every marked snippet in the sources, by name, with its common indentation removed.
  static func snippets() throws -> [String: [String]] {
    var result: [String: [String]] = [:]
    for url in try snippetSources() {
      let lines = try String(contentsOf: url, encoding: .utf8).split(
        separator: "\n", omittingEmptySubsequences: false
      ).map(String.init)
      var open: (name: String, start: Int)?
      for (number, line) in lines.enumerated() {
        let text = line.trimmingCharacters(in: .whitespaces)
        if let name = ["// snippet:", "# snippet:"].lazy.compactMap({ prefix in
          text.hasPrefix(prefix)
            ? text.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces) : nil
        }).first {
          #expect(
            open == nil,
            "\(url.lastPathComponent):\(number + 1): snippet inside '\(open?.name ?? "")'")
          #expect(result[name] == nil, "\(url.lastPathComponent): snippet '\(name)' defined twice")
          open = (name, number + 1)
        } else if text == "// end-snippet" || text == "# end-snippet" {
          guard let current = open else {
            Issue.record("\(url.lastPathComponent):\(number + 1): end-snippet without a snippet")
            continue
          }
          result[current.name] = dedented(Array(lines[current.start..<number]))
          open = nil
        }
      }
      #expect(open == nil, "\(url.lastPathComponent): snippet '\(open?.name ?? "")' is not closed")
    }
    return result
  }

  /// `lines` without the leading spaces they all share.
  static func dedented(_ lines: [String]) -> [String] {
    let indentation =
      lines.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
      .map { $0.prefix { $0 == " " }.count }.min() ?? 0
    return lines.map { String($0.dropFirst(min(indentation, $0.prefix { $0 == " " }.count))) }
  }

  static func document() throws -> String {
    try String(contentsOfFile: documentPath, encoding: .utf8)
  }

  @Test("every code block is marked with where it comes from")
  func everyBlockIsMarked() throws {
    let blocks = Self.blocks(in: try Self.document())
    #expect(blocks.count >= 10)
    for block in blocks where block.marker == nil {
      Issue.record("ExtendingActivations.md:\(block.line): a code block without a marker comment")
    }
  }

  @Test("snippet blocks are the marked source lines, verbatim")
  func snippetsMatchTheSources() throws {
    let snippets = try Self.snippets()
    for block in Self.blocks(in: try Self.document()) {
      guard case .snippet(let name)? = block.marker else { continue }
      guard let source = snippets[name] else {
        Issue.record("ExtendingActivations.md:\(block.line): no snippet '\(name)' in the sources")
        continue
      }
      #expect(
        block.lines == source,
        "ExtendingActivations.md:\(block.line): snippet '\(name)' differs from the source: \(Self.firstDifference(block.lines, source))"
      )
    }
  }

  @Test("file blocks are whole files, verbatim")
  func filesMatch() throws {
    for block in Self.blocks(in: try Self.document()) {
      guard case .file(let path)? = block.marker else { continue }
      let text = try String(
        contentsOf: packageRoot.appendingPathComponent(path), encoding: .utf8)
      var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      if lines.last == "" { lines.removeLast() }
      #expect(
        block.lines == lines,
        "ExtendingActivations.md:\(block.line): '\(path)' differs: \(Self.firstDifference(block.lines, lines))"
      )
    }
  }

  /// Where `shown` first departs from `source`, for a failure message.
  static func firstDifference(_ shown: [String], _ source: [String]) -> String {
    for index in 0..<max(shown.count, source.count) {
      let (left, right) = (
        index < shown.count ? shown[index] : "(end)", index < source.count ? source[index] : "(end)"
      )
      if left != right { return "block line \(index + 1) is\n\(left)\nthe source has\n\(right)" }
    }
    return "no difference"
  }

  @Test("every snippet marked in the sources is shown in the document")
  func everySnippetIsShown() throws {
    let shown = Set(
      Self.blocks(in: try Self.document()).compactMap { block -> String? in
        if case .snippet(let name)? = block.marker { return name }
        return nil
      })
    let defined = try Self.snippets().keys
    #expect(!defined.isEmpty)
    for name in defined where !shown.contains(name) {
      Issue.record("snippet '\(name)' is marked in the sources but not shown in the document")
    }
  }

  @Test("the terminal sessions print what they show")
  func sessionsPrintWhatTheyShow() throws {
    let folder = try temporaryFolderWithModel()
    defer { try? FileManager.default.removeItem(at: folder) }
    let extended = try extendedRegistry()
    var sessions = 0
    for block in Self.blocks(in: try Self.document()) where block.marker == .session {
      sessions += 1
      var output: [String]?
      var command = ""
      for (offset, line) in block.lines.enumerated() {
        let place = "ExtendingActivations.md:\(block.line + 1 + offset)"
        if line.hasPrefix("$ ") {
          command = String(line.dropFirst(2))
          let words = Self.shellWords(command)
          switch Array(words.prefix(3)) {
          case ["swift", "run", "my-nnpipe"]:
            output = Self.run(Array(words.dropFirst(3)), registry: extended, in: folder)
          case ["swift", "run", "nnpipe"]:
            output = Self.run(Array(words.dropFirst(3)), registry: .standard(), in: folder)
          case ["swift", "build"], ["swift", "test"]:
            output = nil
          default:
            Issue.record("\(place): a session command this test cannot run: \(command)")
            output = nil
          }
          continue
        }
        if line == "…" { continue }
        guard let printed = output else {
          Issue.record("\(place): output shown for '\(command)', which is not run")
          continue
        }
        #expect(
          printed.contains { Self.matches($0, pattern: line) },
          "\(place): '\(command)' did not print:\n\(line)\nit printed:\n\(printed.joined(separator: "\n"))"
        )
      }
    }
    #expect(sessions >= 4)
  }

  /// Runs nnpipe's command line in-process as if in `folder`: file arguments are made absolute there,
  /// and the folder is removed from what is printed. Returns standard output and error, line by line.
  static func run(_ arguments: [String], registry: ComponentRegistry, in folder: URL) -> [String] {
    let prefix = folder.path + "/"
    let absolute = arguments.map { argument in
      !argument.hasPrefix("-")
        && [".txt", ".csv", ".safetensors"].contains { argument.hasSuffix($0) }
        ? prefix + argument : argument
    }
    let result = runTool(absolute, registry: registry)
    return (result.stdout + result.stderr).replacingOccurrences(of: prefix, with: "")
      .split(separator: "\n").map { String($0) }
  }

  /// `command` split into words at spaces, keeping single-quoted text together.
  static func shellWords(_ command: String) -> [String] {
    var words: [String] = []
    var current = ""
    var quoted = false
    var started = false
    for character in command {
      if character == "'" {
        quoted.toggle()
        started = true
      } else if character == " ", !quoted {
        if started { words.append(current) }
        current = ""
        started = false
      } else {
        current.append(character)
        started = true
      }
    }
    if started { words.append(current) }
    return words
  }

  /// Whether `line` (trailing spaces ignored) matches `pattern`, where `…` stands for any text.
  static func matches(_ line: String, pattern: String) -> Bool {
    func trimmed(_ text: String) -> Substring {
      text[..<(text.lastIndex { $0 != " " }.map { text.index(after: $0) } ?? text.startIndex)]
    }
    let parts = trimmed(pattern).components(separatedBy: "…")
    var rest = trimmed(line)
    guard rest.hasPrefix(parts[0]) else { return false }
    rest = rest.dropFirst(parts[0].count)
    guard parts.count > 1 else { return rest.isEmpty }
    for part in parts.dropFirst().dropLast() where !part.isEmpty {
      guard let range = rest.range(of: part) else { return false }
      rest = rest[range.upperBound...]
    }
    return rest.hasSuffix(parts[parts.count - 1])
  }

  @Test("the session matcher: … stands for any text, other text must match exactly")
  func matcher() {
    #expect(Self.matches("train: loss 0.1  r2 0.9997", pattern: "train: loss …  r2 0.99…"))
    #expect(!Self.matches("train: loss 0.1  r2 0.9797", pattern: "train: loss …  r2 0.99…"))
    #expect(Self.matches("a=…  amplitude", pattern: "a=…  amplitude"))
    #expect(!Self.matches("saved model.safetensors.tmp", pattern: "saved model.safetensors"))
    #expect(Self.matches("y1   ", pattern: "y1"))
    #expect(
      Self.shellWords("check model.txt --set 'layers.0.activation=scaled_tanh(b=-1)'")
        == ["check", "model.txt", "--set", "layers.0.activation=scaled_tanh(b=-1)"])
  }
}
