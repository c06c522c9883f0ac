import NNCheckpoints
import NNDatasets
import NNLayers
import NNModelLanguage
import NNProtocols

extension Checkpoint {
  /// A checkpoint of a network you trained yourself (your own loop over `Network`, `Trainer` or
  /// `ParameterUpdater`), with the metadata `nnpipe predict` and `nnpipe evaluate` need: the model
  /// text and the components from `description`, the feature and class names from `dataset`, the
  /// network's precision, and identity preprocessing (the network saw the features as they are).
  ///
  /// ```swift
  /// let description = try ModelDescription(
  ///   layers: [.dense(units: 4, activation: "tanh"), .dense(units: 1, activation: "sigmoid")],
  ///   loss: .loss("binary_cross_entropy"))
  /// // … build `network` from the same layers and train it …
  /// try Checkpoint(trainedNetwork: network, description: description, dataset: xor)
  ///   .write(to: "xor.safetensors")
  /// ```
  /// `description` is the model the network is: its layers must build a network of the same
  /// parameters, path by path and shape by shape, for `dataset`'s features, and its loss must suit
  /// the data, as `nnpipe run` requires. (The text cannot be read off the network itself: a layer
  /// holds its activation as a value, not the options it was made with.) `ModelRunner.train(_:on:)`
  /// gives the whole checkpoint, optimizer state and history included, without this step.
  ///
  /// - Throws: `InputError` naming the first parameter that differs from what `description`
  ///   builds, a `preprocess` statement that scales the features or targets (the network was
  ///   trained on them unscaled), or a loss that does not suit the data.
  public init<S: NNScalar>(
    trainedNetwork network: Network<S>, description: ModelDescription, dataset: Dataset,
    registry: ComponentRegistry = .standard()
  ) throws {
    let preprocessing = description.preprocessing
    guard preprocessing.features == .none, preprocessing.targets == .none,
      preprocessing.divide == 1
    else {
      throw InputError(
        "the description says 'preprocess features=\(preprocessing.features.rawValue) targets="
          + "\(preprocessing.targets.rawValue) divide=\(formatReal(preprocessing.divide))', but a "
          + "network trained outside ModelRunner saw the data as it is",
        hint: "use PreprocessSettings() here, or train with ModelRunner.train(_:on:), which scales")
    }
    let model = try PreparedModel(
      description, registry: registry, inputSize: dataset.inputSize,
      classNames: dataset.classNames, targetCount: dataset.targets.cols)
    try model.checkTargets(
      PreparedData(description, dataset: dataset), registry: registry)
    var generator = SeededGenerator(seed: 0)
    let described = try Network<S>(
      builders: model.builders, inputSize: dataset.inputSize, generator: &generator)
    let expected = described.parameters.map { "\($0.path) \($0.parameter.value.shape)" }
    let actual = network.parameters.map { "\($0.path) \($0.parameter.value.shape)" }
    let differing = (0..<max(expected.count, actual.count)).first { index in
      index >= expected.count || index >= actual.count || expected[index] != actual[index]
    }
    if let index = differing {
      let want = index < expected.count ? expected[index] : "no more parameters"
      let have = index < actual.count ? actual[index] : "no more parameters"
      throw InputError(
        "the network does not match the description: the description builds \(want), the "
          + "network has \(have)",
        hint: "describe the layers the network was built from, in order, for "
          + "\(dataset.inputSize) input feature\(dataset.inputSize == 1 ? "" : "s")")
    }
    let identity = Scaler.fit(.none, to: dataset.features)
    let metadata = CheckpointMetadata(
      nnpipeVersion: nnpipeVersion, model: description.text(registry: registry),
      preprocessing: preprocessingJSON(features: identity, targets: nil),
      classNames: dataset.classNames, featureNames: dataset.featureNames,
      components: componentNames(description))
    self.init(parameters: network.parameters, metadata: metadata)
  }
}
