import Foundation
import Testing

/// A model file with a mistake and the exact message nnpipe gives for it.
struct MalformedModel: CustomTestStringConvertible, Sendable {
  var name: String
  var text: String
  /// The expected standard error; `FOLDER` stands for the folder holding the model file.
  var message: String

  init(_ name: String, _ text: String, _ message: String) {
    self.name = name
    self.text = text
    self.message = message
  }

  var testDescription: String { name }
}

/// Malformed model files through the binary: each gets its exact message with file, line and
/// column, exit status 64, and nothing is written.
struct MalformedModelTests {
  static let cases: [MalformedModel] = [
    MalformedModel(
      "unknown-activation",
      "data sine\nlayer dense units=20 activation=sigmod\nlayer dense units=1",
      """
      unknown-activation.txt:2:33: error: unknown activation 'sigmod'; did you mean 'sigmoid'?
          layer dense units=20 activation=sigmod
                                          ^
      """),
    MalformedModel(
      "unknown-statement",
      "data sine\nlayr dense units=1",
      """
      unknown-statement.txt:2:1: error: unknown statement 'layr'; did you mean 'layer'?
          layr dense units=1
          ^
      unknown-statement.txt: error: the model has no 'layer' statement; add at least one, e.g. 'layer dense units=1'
      """),
    MalformedModel(
      "unknown-layer",
      "data sine\nlayer dens units=1",
      """
      unknown-layer.txt:2:7: error: unknown layer 'dens'; did you mean 'dense'?
          layer dens units=1
                ^
      """),
    MalformedModel(
      "unknown-key",
      "data sine\nlayer dense units=1 unit=3",
      """
      unknown-key.txt:2:21: error: unknown option 'unit' for layer 'dense'; did you mean 'units'?
          layer dense units=1 unit=3
                              ^
      """),
    MalformedModel(
      "missing-units",
      "data sine\nlayer dense activation=tanh\nlayer dense units=1",
      """
      missing-units.txt:2:7: error: layer 'dense' needs option 'units' (an integer ≥ 1)
          layer dense activation=tanh
                ^
      """),
    MalformedModel(
      "negative-units",
      "data sine\nlayer dense units=-4\nlayer dense units=1",
      """
      negative-units.txt:2:19: error: layer 'dense' option 'units': expected an integer ≥ 1, got -4
          layer dense units=-4
                            ^
      """),
    MalformedModel(
      "bad-number",
      "data sine\nlayer dense units=1\noptimizer sgd lr=fast",
      """
      bad-number.txt:3:18: error: optimizer 'sgd' option 'lr': expected a real number > 0, got 'fast'
          optimizer sgd lr=fast
                           ^
      """),
    MalformedModel(
      "zero-lr",
      "data sine\nlayer dense units=1\noptimizer sgd lr=0",
      """
      zero-lr.txt:3:18: error: optimizer 'sgd' option 'lr': expected a real number > 0, got 0
          optimizer sgd lr=0
                           ^
      """),
    MalformedModel(
      "unknown-optimizer",
      "data sine\nlayer dense units=1\noptimizer adma",
      """
      unknown-optimizer.txt:3:11: error: unknown optimizer 'adma'; did you mean 'adam'?
          optimizer adma
                    ^
      """),
    MalformedModel(
      "unknown-loss",
      "data sine\nlayer dense units=1\nloss mse2",
      """
      unknown-loss.txt:3:6: error: unknown loss 'mse2'; did you mean 'mse'?
          loss mse2
               ^
      """),
    MalformedModel(
      "no-data",
      "layer dense units=1",
      """
      no-data.txt: error: the model has no 'data' statement; add 'data NAME key=value…' (nnpipe list shows the data sets)
      """),
    MalformedModel(
      "no-layers",
      "data sine",
      """
      no-layers.txt: error: the model has no 'layer' statement; add at least one, e.g. 'layer dense units=1'
      """),
    MalformedModel(
      "duplicate-train",
      "data sine\nlayer dense units=1\ntrain epochs=3\ntrain epochs=4",
      """
      duplicate-train.txt:4:1: error: the 'train' statement is given twice (the first is on line 3)
          train epochs=4
          ^
      """),
    MalformedModel(
      "unterminated-quote",
      "data csv path=\"iris.csv\nlayer dense units=3",
      """
      unterminated-quote.txt:1:15: error: unterminated quoted string; add the closing '"'
          data csv path="iris.csv
                        ^
      """),
    MalformedModel(
      "unbalanced-paren",
      "data sine\nlayer dense units=1 init=normal(std=0.2",
      """
      unbalanced-paren.txt:2:32: error: unbalanced parentheses: this '(' is never closed
          layer dense units=1 init=normal(std=0.2
                                         ^
      """),
    MalformedModel(
      "missing-file",
      "data csv path=nowhere.csv\nlayer dense units=3",
      """
      FOLDER/nowhere.csv: error: no such file
      note: check the path
      """),
    MalformedModel(
      "last-layer-size",
      "data csv path=iris.csv target=species\nlayer dense units=4",
      """
      last-layer-size.txt:2: error: the last layer gives 4 outputs but the data has 3 classes (setosa, versicolor, virginica); expected units=3
      """),
    MalformedModel(
      "softmax-with-ce",
      "data csv path=iris.csv target=species\nlayer dense units=3\nlayer softmax\nloss cross_entropy",
      """
      softmax-with-ce.txt:4: error: loss 'cross_entropy' applies softmax itself and expects raw scores (logits), but the last layer outputs softmax probabilities
      note: remove the softmax layer (recommended, it is more stable) or use `loss nll`
      """),
    MalformedModel(
      "sign-trained",
      "data xnor\nlayer dense units=1 activation=sign",
      """
      sign-trained.txt:2: error: layer 0 uses activation 'sign', whose derivative is zero everywhere: it cannot be trained by back-propagation
      note: use it with hand-set weights (`weights from=FILE` and `train epochs=0`), or train with sigmoid or tanh instead
      """),
    MalformedModel(
      "plot-fit-classifier",
      "data csv path=iris.csv target=species\nlayer dense units=3\noutput plot_fit=f.svg",
      """
      plot-fit-classifier.txt:3: error: output plot_fit draws a one-input regression, but the data has 4 inputs and classes
      note: use plot_regions for a two-input classifier, or plot_loss
      """),
    MalformedModel(
      "dropout-rate",
      "data sine\nlayer dropout rate=1.5\nlayer dense units=1",
      """
      dropout-rate.txt:2:20: error: layer 'dropout' option 'rate': expected a real number in [0, 1], got 1.5
          layer dropout rate=1.5
                             ^
      """),
    MalformedModel(
      "precision-word",
      "data sine\nlayer dense units=1\ntrain precision=half",
      """
      precision-word.txt:3:17: error: statement 'train' option 'precision': expected one of 'float', 'double', got 'half'
          train precision=half
                          ^
      """),
    MalformedModel(
      "batch-word",
      "data sine\nlayer dense units=1\ntrain batch=all",
      """
      batch-word.txt:3:13: error: statement 'train' option 'batch': expected an integer ≥ 1 or 'full', got 'all'
          train batch=all
                      ^
      """),
    MalformedModel(
      "nesterov-no-momentum",
      "data sine\nlayer dense units=1\noptimizer sgd nesterov=true",
      """
      nesterov-no-momentum.txt:3: error: optimizer 'sgd' option 'nesterov': Nesterov momentum needs momentum > 0 and dampening = 0 (got momentum=0, dampening=0)
      note: set momentum (e.g. momentum=0.9) or remove nesterov=true
      """),
    MalformedModel(
      "two-errors",
      "data sine\nlayer dense units=1 activation=sigmod\noptimizer sgd lr=-1",
      """
      two-errors.txt:2:32: error: unknown activation 'sigmod'; did you mean 'sigmoid'?
          layer dense units=1 activation=sigmod
                                         ^
      two-errors.txt:3:18: error: optimizer 'sgd' option 'lr': expected a real number > 0, got -1
          optimizer sgd lr=-1
                           ^
      """),
    MalformedModel(
      "unknown-column",
      "data csv path=iris.csv target=specis\nlayer dense units=3",
      """
      FOLDER/iris.csv:1: error: target: unknown column 'specis'; did you mean 'species'?
      """),
  ]

  @Test(arguments: cases)
  func malformedModelIsRejectedWithItsPlace(_ model: MalformedModel) throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try FileManager.default.copyItem(
      at: repositoryRoot.appendingPathComponent("Data/iris.csv"),
      to: folder.appendingPathComponent("iris.csv"))
    try write(model.text + "\n", to: "\(model.name).txt", in: folder)
    let before = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    let result = try runProcess(["run", "\(model.name).txt"], in: folder)
    #expect(result.status == 64)
    #expect(result.stdout.isEmpty)
    let expected = model.message.replacingOccurrences(of: "FOLDER", with: folder.path) + "\n"
    #expect(result.stderr == expected)
    // Nothing written: no checkpoint, no plot.
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == before)
  }
}
