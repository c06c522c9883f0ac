import NNProtocols
import Testing

@testable import NNModelLanguage

@Suite("ModelOverrides (--set)")
struct ModelOverridesTests {
  typealias F = ModelFixtures

  /// The one error of parsing the sine fit with `overrides`, which must name no file and no line.
  func overrideError(_ overrides: [String], sourceLocation: SourceLocation = #_sourceLocation)
    -> String?
  {
    let errors = F.errors(F.sine, overrides: overrides)
    #expect(errors.count == 1, "\(errors)", sourceLocation: sourceLocation)
    #expect(errors.first?.file == nil, sourceLocation: sourceLocation)
    #expect(errors.first?.line == nil, sourceLocation: sourceLocation)
    #expect(errors.first?.column == nil, sourceLocation: sourceLocation)
    return errors.first?.message
  }

  @Test("STATEMENT.KEY=VALUE sets one option of a statement")
  func statementKeys() throws {
    let model = try F.parse(
      F.sine,
      overrides: [
        "optimizer.lr=0.05", "train.epochs=10", "data.noise=0.1", "split.validation=0.2",
        "train.batch=8", "preprocess.features=standardize",
      ])
    #expect(model.optimizer?.options.real("lr") == 0.05)
    #expect(model.training.epochs == 10)
    #expect(model.training.batchSize == 8)
    #expect(model.training.precision == .double)  // the file's other keys stay
    #expect(model.data.options.real("noise") == 0.1)
    #expect(model.split.validation == 0.2)
    #expect(model.preprocessing.features == .standardize)
  }

  @Test("layers.I.KEY=VALUE sets an option of the I-th layer, component values included")
  func layerKeys() throws {
    let model = try F.parse(
      F.sine, overrides: ["layers.0.units=64", "layers.1.activation=leaky_relu(slope=0.3)"])
    #expect(model.layers[0].options.integer("units") == 64)
    #expect(model.layers[0].options.component("activation").name == "sigmoid")
    let activation = model.layers[1].options.component("activation")
    #expect(activation.name == "leaky_relu")
    #expect(activation.options.real("slope") == 0.3)
  }

  @Test("STATEMENT=NAME and layers.I=KIND swap a component, dropping its options")
  func swaps() throws {
    let model = try F.parse(
      F.sine, overrides: ["optimizer=adam", "loss=mae", "layers.0=dropout"])
    #expect(model.optimizer?.name == "adam")
    #expect(model.optimizer?.options.real("lr") == 0.001)  // the file's lr=0.1 was sgd's
    #expect(model.loss?.name == "mae")
    #expect(model.layers[0].name == "dropout")
    #expect(model.layers[0].options.real("rate") == 0.5)
    let withOptions = try F.parse(F.sine, overrides: ["optimizer=adam(lr=0.01, beta1=0.5)"])
    #expect(withOptions.optimizer?.options.real("lr") == 0.01)
    #expect(withOptions.optimizer?.options.real("beta1") == 0.5)
  }

  @Test("swaps apply before keys; a later value for the same key wins")
  func order() throws {
    let model = try F.parse(
      F.sine, overrides: ["optimizer.lr=0.5", "optimizer=adam", "train.epochs=1", "train.epochs=2"])
    #expect(model.optimizer?.name == "adam")
    #expect(model.optimizer?.options.real("lr") == 0.5)
    #expect(model.training.epochs == 2)
  }

  @Test(
    "an absent statement is added: fixed statements, and optimizer/schedule from their defaults")
  func absentStatements() throws {
    let file = "data sine\nlayer dense units=1\n"
    let model = try F.parse(
      file,
      overrides: [
        "optimizer.beta1=0.8", "early_stopping.patience=3", "split.validation=0.25",
        "weights.from=start.safetensors", "output.plot_fit=plots/my fit.svg",
      ])
    // The default optimizer is adam (lr 0.001); the key sets one of its options.
    #expect(model.optimizer?.name == "adam")
    #expect(model.optimizer?.options.real("lr") == 0.001)
    #expect(model.optimizer?.options.real("beta1") == 0.8)
    #expect(model.earlyStopping == EarlyStoppingSettings(patience: 3))
    #expect(model.initialWeights == "/models/demo/start.safetensors")
    #expect(model.outputs.plotFit == "/models/demo/plots/my fit.svg")
    let schedule = try F.parse(file, overrides: ["schedule=step(every=5)"])
    #expect(schedule.schedule?.options.integer("every") == 5)
    let loss = try F.parse(file, overrides: ["loss.label_smoothing=0.1", "loss=cross_entropy"])
    #expect(loss.loss?.options.real("label_smoothing") == 0.1)
  }

  @Test("an override replaces the file's value, so a bad file value it replaces is not reported")
  func replacesFileValue() throws {
    let model = try F.parse(
      "data sine\nlayer dense units=0\noptimizer sgd lr=-1\n",
      overrides: ["layers.0.units=3", "optimizer.lr=0.2"])
    #expect(model.layers[0].options.integer("units") == 3)
    #expect(model.optimizer?.options.real("lr") == 0.2)
  }

  @Test("override values are validated like the file's, and errors name the override")
  func validationErrors() {
    #expect(
      overrideError(["optimizer.lrr=0.1"])
        == "--set optimizer.lrr=0.1: unknown option 'lrr' for optimizer 'sgd'; did you mean 'lr'?")
    #expect(
      overrideError(["optimizer.lr=-1"])
        == "--set optimizer.lr=-1: optimizer 'sgd' option 'lr': expected a real number > 0, got -1")
    #expect(
      overrideError(["train.epochs=many"])
        == "--set train.epochs=many: statement 'train' option 'epochs': expected an integer ≥ 0, "
        + "got 'many'")
    #expect(
      overrideError(["layers.0.activation=sigmod"])
        == "--set layers.0.activation=sigmod: unknown activation 'sigmod'; did you mean 'sigmoid'?")
    #expect(
      overrideError(["optimizer=adm"])
        == "--set optimizer=adm: unknown optimizer 'adm'; did you mean 'adam'?")
    #expect(
      overrideError(["data=csv"])
        == "--set data=csv: dataset 'csv' needs option 'path' (a file path)")
    #expect(
      overrideError(["layers.0.activation=leaky_relu(slope=0.1"])
        == "--set layers.0.activation=leaky_relu(slope=0.1: "
        + "unbalanced parentheses: this '(' is never closed")
    #expect(
      overrideError(["layers.1.init=normal(std=0.2 mean=1)"])
        == "--set layers.1.init=normal(std=0.2 mean=1): expected ',' or ')' after the value of 'std'"
    )
    #expect(
      overrideError(["early_stopping.patience=2"])
        == "--set early_stopping.patience=2: early_stopping monitors 'val_loss' but there is no "
        + "validation split; add 'split validation=0.2' or use monitor=loss")
  }

  @Test("malformed overrides name themselves and say what is expected")
  func malformed() {
    #expect(
      overrideError(["train.epochs"])
        == "--set train.epochs: expected KEY=VALUE, e.g. optimizer.lr=0.05 or train.epochs=10")
    #expect(overrideError(["=5"]) == "--set =5: missing the key before '='")
    #expect(
      overrideError(["train.epochs="])
        == "--set train.epochs=: missing the value after 'train.epochs='")
    #expect(
      overrideError(["train..epochs=1"])
        == "--set train..epochs=1: 'train..epochs' has an empty part")
    #expect(
      overrideError(["optimiser.lr=0.1"])
        == "--set optimiser.lr=0.1: unknown statement 'optimiser'; did you mean 'optimizer'?")
    #expect(
      overrideError(["layer.units=3"])
        == "--set layer.units=3: name a layer by its index (0-based) under 'layers', "
        + "e.g. layers.0.units=3")
    #expect(
      overrideError(["layers=dense"])
        == "--set layers=dense: name a layer by its index: layers.0.KEY=VALUE, or layers.0=KIND")
    #expect(
      overrideError(["layers.x.units=3"])
        == "--set layers.x.units=3: 'x' is not a layer index (0, 1, …)")
    #expect(
      overrideError(["layers.2.units=3"])
        == "--set layers.2.units=3: there is no layer 2; the model has 2 layers (0…1)")
    #expect(
      overrideError(["layers.0.init.std=0.3"])
        == "--set layers.0.init.std=0.3: the options of a component value are set with the whole "
        + "value, e.g. layers.0.init=NAME(key=value)")
    #expect(
      overrideError(["optimizer.lr.x=1"])
        == "--set optimizer.lr.x=1: the options of a component value are set with the whole value, "
        + "e.g. optimizer.lr=NAME(key=value)")
    #expect(
      overrideError(["train=fast"])
        == "--set train=fast: 'train' has options but no name; set one option, e.g. train.epochs=…")
    #expect(
      F.errors("data sine\nlayer dense units=1\n", overrides: ["loss.label_smoothing=0.1"])
        .map(\.message)
        == [
          "--set loss.label_smoothing=0.1: the model has no 'loss' statement; "
            + "choose one first with --set loss=NAME"
        ])
  }

  @Test("file errors come first, then override errors in the order given")
  func errorOrder() {
    let errors = F.errors(
      "data sine\nlayer dense units=1 activation=sigmod\n",
      overrides: ["train.epochs=-1", "optimizer.lr=0"])
    #expect(
      errors.map(\.message) == [
        "unknown activation 'sigmod'; did you mean 'sigmoid'?",
        "--set train.epochs=-1: statement 'train' option 'epochs': expected an integer ≥ 0, got -1",
        "--set optimizer.lr=0: optimizer 'adam' option 'lr': expected a real number > 0, got 0",
      ])
    #expect(errors.map(\.line) == [2, nil, nil])
  }
}
