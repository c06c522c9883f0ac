import NNProtocols
import Testing

@testable import NNModelLanguage

@Suite("ModelPrinter")
struct ModelPrinterTests {
  typealias F = ModelFixtures
  let printer = ModelPrinter(registry: ModelFixtures.registry)

  /// A file using every statement, nested components, lists and awkward paths.
  static let everything = #"""
    data csv path="my data/train #1.csv" target="petal width" header=false
    split validation=0.2 test=0.1 stratify=false shuffle=false
    preprocess features=standardize targets=minmax
    layer dense units=8 activation=leaky_relu(slope=0.2) bias=false init=scaled(base=normal(std=0.3), factor=2)
    layer dropout rate=0.25
    layer fixed weights=1,0,-1.5,2e-1,1e-300 activation=tanh
    loss cross_entropy label_smoothing=0.1
    optimizer adam lr=1e-3 beta1=0.8
    schedule step every=10
    train epochs=5 batch=full seed=42 precision=double shuffle=false clip_norm=1.5 weight_decay=1e-4 threads=2
    early_stopping patience=3 min_delta=0.001 monitor=val_loss restore_best=false
    weights from=../shared/start.safetensors
    output checkpoint=none plot_loss=/tmp/loss.svg plot_fit="none" plot_regions=out/regions.svg predictions="a=b.csv"
    """#

  @Test("the sine fit prints every statement with every option, in canonical order")
  func sineText() throws {
    let text = printer.resolvedText(try F.parse(F.sine))
    #expect(
      text == """
        data sine start=-5 stop=5 step=0.1 noise=0
        split validation=0 test=0 stratify=true shuffle=true
        preprocess features=none targets=none divide=1
        layer dense units=20 activation=sigmoid bias=true init=normal(mean=0, std=0.2) bias_init=normal(mean=0, std=0.2)
        layer dense units=1 activation=identity bias=true init=normal(mean=0, std=0.2) bias_init=normal(mean=0, std=0.2)
        loss half_mse
        optimizer sgd lr=0.1 momentum=0 nesterov=false
        # schedule: not given; a constant learning rate
        train epochs=2000 batch=full seed=0 precision=double shuffle=true clip_norm=0 weight_decay=0 threads=0 step=auto
        # early_stopping: not given; training runs every epoch
        # weights: not given; random initialization
        output checkpoint=auto plot_loss=none plot_fit=none plot_regions=none plot_gradients=none predictions=none

        """)
  }

  @Test("absent loss and optimizer are comments naming their defaults")
  func absentStatements() throws {
    let text = printer.resolvedText(try F.parse("data xnor\nlayer dense units=1"))
    #expect(
      text.contains(
        "\n# loss: not given; mse for regression; for classes nll after a softmax, "
          + "binary_cross_entropy after outputs in [0, 1], else bce_with_logits (one output) or "
          + "cross_entropy\n"))
    #expect(
      text.contains(
        "\n# optimizer: not given; the default adam lr=0.001 beta1=0.9 beta2=0.999\n"))
  }

  @Test("printing then parsing gives an equal description", arguments: [F.sine, everything])
  func roundTrip(_ file: String) throws {
    let model = try F.parse(file)
    let text = printer.resolvedText(model)
    let again = try F.parser.parse(
      text, path: model.sourcePath, baseDirectory: model.baseDirectory)
    #expect(again == model, "\(text)")
    #expect(printer.resolvedText(again) == text)
  }

  @Test("paths print relative to the base folder where they share more than the root")
  func paths() throws {
    let model = try F.parse(Self.everything)
    let text = printer.resolvedText(model)
    #expect(
      text.contains(#"data csv path="my data/train #1.csv" target="petal width" header=false"#))
    #expect(text.contains("weights from=../shared/start.safetensors\n"))
    #expect(
      text.contains(
        #"output checkpoint=none plot_loss=/tmp/loss.svg plot_fit="none" plot_regions=out/regions.svg "#
          + #"plot_gradients=none predictions="a=b.csv""#))
    #expect(
      text.contains("layer fixed weights=1,0,-1.5,0.2,1e-300 bias=\"\" units=1 activation=tanh\n"))
    #expect(
      text.contains(
        "init=scaled(base=normal(mean=0, std=0.3), factor=2) bias_init=zeros\n"))
  }

  @Test("a description built in code prints and reads back")
  func builtInCode() throws {
    let registry = F.registry
    let model = ModelDescription(
      sourcePath: "net.txt", baseDirectory: "/work/models",
      data: try registry.reference(.dataset, "csv", [("path", .text("/work/data/x y.csv"))]),
      split: SplitSettings(validation: 0.1),
      layers: [
        try registry.reference(.layer, "dense", [("units", .integer(3))]),
        try registry.reference(.layer, "fixed", [("weights", .realList([0.1, -2]))]),
      ],
      optimizer: try registry.reference(.optimizer, "sgd", [("lr", .real(0.3))]),
      training: TrainingSettings(batchSize: 1, seed: 7),
      earlyStopping: EarlyStoppingSettings(patience: 2),
      initialWeights: "/elsewhere/w.safetensors",
      outputs: OutputSettings(
        checkpoint: "/work/models/run/model.safetensors", plotLoss: "/work/l.svg"))
    let text = printer.resolvedText(model)
    #expect(text.contains(#"data csv path="../data/x y.csv" target=last header=true"#))
    #expect(text.contains("weights from=/elsewhere/w.safetensors\n"))
    #expect(text.contains("output checkpoint=run/model.safetensors plot_loss=../l.svg "))
    let again = try F.parser.parse(text, path: "net.txt", baseDirectory: "/work/models")
    #expect(again == model)
  }

  @Test(
    "values that would not read back as one word are quoted, with quotes and backslashes escaped")
  func quoting() {
    let cases: [(String, String)] = [
      ("plain", "plain"), ("two words", "\"two words\""), ("a#b", "\"a#b\""), ("k=v", "\"k=v\""),
      ("f(x)", "\"f(x)\""), ("a,b", "\"a,b\""), (#"say "hi""#, #""say \"hi\"""#),
      (#"back\slash"#, #"back\slash"#), (#"back\ and space"#, #""back\\ and space""#), ("", "\"\""),
    ]
    for (text, written) in cases {
      #expect(ModelPrinter.quotedIfNeeded(text, reserved: []) == written)
    }
    #expect(ModelPrinter.quotedIfNeeded("none", reserved: ["none"]) == "\"none\"")
  }

  @Test("quoted text reads back as the text that was quoted")
  func quotingRoundTrip() throws {
    for target in ["two words", #"say "hi""#, #"back\ and space"#, "a#b", "x=y", "f(x)", "a,b"] {
      let file =
        "data csv path=x.csv target=\(ModelPrinter.quotedIfNeeded(target, reserved: []))\n"
        + "layer dense units=1"
      #expect(try F.parse(file).data.options.text("target") == target)
    }
  }
}
