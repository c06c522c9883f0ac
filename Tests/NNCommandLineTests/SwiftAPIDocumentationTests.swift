import Foundation
import NNPipe
import Testing

/// Documentation/SwiftAPI.md, compiled and run.
///
/// Every code block of the page marked `<!-- snippet: NAME -->` is the lines between
/// `// snippet: NAME` and `// end-snippet` below (common indentation removed), and
/// `pageMatchesTheseTests` fails if they differ. The copies here write their files into a temporary
/// folder: `\(folder)/` before a file name is the one difference allowed, removed before comparing.
/// The block marked `<!-- output: xor-model-text -->` is what `description.text()` prints.
/// The tests then run the built `nnpipe` on the files, as the page's shell session does.
@Suite("Documentation/SwiftAPI.md")
struct SwiftAPIDocumentationTests {
  @Test("XOR in code: loss < 0.05; nnpipe predict and evaluate read its checkpoint, same figures")
  func xor() throws {
    let directory = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: directory) }
    let folder = directory.path

    // snippet: xor-data
    // XOR as two classes: four samples of two features, labelled by class index (0: "false").
    let xor = Dataset(
      name: "xor",
      features: Matrix(rows: 4, cols: 2, scalars: [0, 0, 0, 1, 1, 0, 1, 1]),
      targets: Matrix(rows: 4, cols: 1, scalars: [0, 1, 1, 0]),
      featureNames: ["a", "b"], classNames: ["false", "true"])
    // end-snippet

    // snippet: xor-model
    // The network and its training, as the statements of a model file.
    let description = try ModelDescription(
      layers: [
        .dense(units: 4, activation: "tanh"),
        .dense(units: 1, activation: "sigmoid"),
      ],
      loss: .loss("binary_cross_entropy"),
      optimizer: .optimizer("adam", ["lr": 0.05]),
      training: TrainingSettings(epochs: 500, batchSize: nil))
    print(description.text())  // the model file it is, every default written out
    // end-snippet
    let shown = Self.markedBlocks(of: try Self.page(), marker: "output")["xor-model-text"]
    #expect(shown.map { $0 + "\n" } == description.text(), "the page shows another model text")

    // snippet: xor-train
    let model = try ModelRunner().train(description, on: xor)

    let metrics = model.metrics(features: xor.features, targets: xor.targets)
    print("loss", metrics.loss, "accuracy", metrics.accuracy ?? 0)  // loss 0.001…  accuracy 1.0

    let probabilities = model.predict(xor.features)  // [4, 1]: the probability of "true"
    print(probabilities)  // [[0.0003…], [0.998…], [0.999…], [0.002…]]

    try model.save(to: "\(folder)/xor.safetensors")
    try "a,b,label\n0,0,false\n0,1,true\n1,0,true\n1,1,false\n"
      .write(toFile: "\(folder)/xor.csv", atomically: true, encoding: .utf8)
    // end-snippet

    #expect(metrics.loss < 0.05)
    #expect(metrics.accuracy == 1)
    #expect(model.checkpoint.metadata.classNames == ["false", "true"])
    #expect(model.checkpoint.metadata.featureNames == ["a", "b"])

    // nnpipe predict prints the predictions made in code, to the last digit.
    let predicted = try runProcess(["predict", "xor.safetensors", "xor.csv"], in: directory)
    #expect(predicted.status == 0, "\(predicted.stderr)")
    let expected = predictionsCSV(
      probabilities, classNames: model.classNames, targetNames: ["y1"],
      reading: model.outputReading)
    #expect(predicted.stdout == expected)
    #expect(predicted.stdout.hasPrefix("label,p_false,p_true\nfalse,"))

    // nnpipe evaluate on the CSV gives the metrics computed in code, to the bit.
    let evaluated = try runProcess(
      ["evaluate", "xor.safetensors", "xor.csv", "--json"], in: directory)
    #expect(evaluated.status == 0, "\(evaluated.stderr)")
    // The numbers are read from the text with `Double(_:)`, which rounds correctly (a JSON parser
    // may not, and would blur the last bit).
    func number(_ key: String) -> Double? {
      guard let range = evaluated.stdout.range(of: "\"\(key)\": ") else { return nil }
      let text = evaluated.stdout[range.upperBound...].prefix { !",}".contains($0) }
      return Double(text.trimmingCharacters(in: .whitespaces))
    }
    #expect(number("accuracy") == metrics.accuracy)
    #expect(number("loss") == metrics.loss)
    #expect(number("samples") == 4)
  }

  @Test("sine in code: r2 > 0.99 with standardized inputs; nnpipe predict gives the same values")
  func sine() throws {
    let directory = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: directory) }
    let folder = directory.path

    // snippet: sine
    // y = sin x on [-5, 5): a regression, one feature, one target.
    let xs = (0..<100).map { -5 + 0.1 * Double($0) }
    let sine = Dataset(
      name: "sine",
      features: Matrix(rows: 100, cols: 1, scalars: xs),
      targets: Matrix(rows: 100, cols: 1, scalars: xs.map { Foundation.sin($0) }),
      featureNames: ["x"], targetNames: ["y"])

    let regression = try ModelDescription(
      layers: [.dense(units: 16, activation: "tanh"), .dense(units: 1)],
      loss: .loss("mse"),
      optimizer: .optimizer("adam", ["lr": 0.01]),
      preprocessing: PreprocessSettings(features: .standardize),  // z-scores, saved with the model
      training: TrainingSettings(epochs: 1000, batchSize: nil, precision: .double))

    let fitted = try ModelRunner().train(regression, on: sine)
    let fit = fitted.metrics(features: sine.features, targets: sine.targets)
    print("mse", fit.meanSquaredError ?? .nan, "r2", fit.r2 ?? .nan)  // mse 0.004…  r2 0.99…

    let grid = Matrix(rows: 3, cols: 1, scalars: [-1.5, 0, 1.5])
    print(fitted.predict(grid))  // about sin(-1.5), sin(0), sin(1.5): [[-1.0…], [0.006…], [1.01…]]
    try fitted.save(to: "\(folder)/sine.safetensors")
    // end-snippet

    #expect((fit.r2 ?? 0) > 0.99)
    #expect(fitted.checkpoint.metadata.precision == .double)
    try "x\n-1.5\n0\n1.5\n".write(
      toFile: "\(folder)/grid.csv", atomically: true, encoding: .utf8)
    let predicted = try runProcess(["predict", "sine.safetensors", "grid.csv"], in: directory)
    #expect(predicted.status == 0, "\(predicted.stderr)")
    let expected = predictionsCSV(
      fitted.predict(grid), classNames: nil, targetNames: ["y1"], reading: nil)
    #expect(predicted.stdout == expected)
  }

  @Test("the page's code blocks are the code these tests run")
  func pageMatchesTheseTests() throws {
    let page = try Self.page()
    let source = try String(contentsOfFile: #filePath, encoding: .utf8)
      .replacingOccurrences(of: "\\(folder)/", with: "")
    let snippets = Self.regions(of: source)
    let blocks = Self.markedBlocks(of: page, marker: "snippet")
    #expect(Set(blocks.keys) == Set(snippets.keys), "snippets on the page and in the tests")
    for (name, block) in blocks {
      #expect(block == snippets[name], "snippet '\(name)' differs from the test's code")
    }
  }

  /// The text of Documentation/SwiftAPI.md.
  static func page() throws -> String {
    try String(
      contentsOf: repositoryRoot.appendingPathComponent("Documentation/SwiftAPI.md"),
      encoding: .utf8)
  }

  /// The `// snippet: NAME` … `// end-snippet` regions of `source`, common indentation removed.
  static func regions(of source: String) -> [String: String] {
    var result: [String: String] = [:]
    var open: (name: String, lines: [Substring])?
    for line in source.split(separator: "\n", omittingEmptySubsequences: false) {
      let text = line.trimmingCharacters(in: .whitespaces)
      if text.hasPrefix("// snippet: ") {
        open = (String(text.dropFirst(12)), [])
      } else if text == "// end-snippet", let region = open {
        let indent =
          region.lines.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
          .map { $0.prefix { $0 == " " }.count }.min() ?? 0
        result[region.name] = region.lines.map { String($0.dropFirst(indent)) }
          .joined(separator: "\n")
        open = nil
      } else if open != nil {
        open!.lines.append(line)
      }
    }
    return result
  }

  /// The fenced code blocks of `page` that follow a `<!-- MARKER: NAME -->` line, by name.
  static func markedBlocks(of page: String, marker: String) -> [String: String] {
    var result: [String: String] = [:]
    let lines = page.split(separator: "\n", omittingEmptySubsequences: false)
    var index = 0
    while index < lines.count {
      let line = lines[index].trimmingCharacters(in: .whitespaces)
      let prefix = "<!-- \(marker): "
      guard line.hasPrefix(prefix), line.hasSuffix(" -->") else {
        index += 1
        continue
      }
      let name = String(line.dropFirst(prefix.count).dropLast(4))
      index += 2  // the marker, then the opening fence
      var body: [Substring] = []
      while index < lines.count, !lines[index].hasPrefix("```") {
        body.append(lines[index])
        index += 1
      }
      result[name] = body.joined(separator: "\n")
      index += 1
    }
    return result
  }
}
