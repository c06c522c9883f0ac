import NNProtocols

/// Components named in Swift code as a model file names them: `.dense(units: 4, activation: "tanh")`
/// is `layer dense units=4 activation=tanh`, `.optimizer("adam", ["lr": 0.05])` is
/// `optimizer adam lr=0.05`.
///
/// A reference made here holds only the options given; `ModelDescription(layers:…)` looks every
/// name up in the registry, checks the options and fills in the defaults, exactly as the model
/// parser does, so a model built in code and the same model written as text are equal. Build
/// components from the description's references (`registry.makeLoss(description.loss!)`), not from
/// these: a factory expects its options complete.
///
/// See Also: `ModelDescription.init(data:layers:loss:optimizer:schedule:split:preprocessing:training:earlyStopping:registry:)`,
/// `nnpipe list` for every component's options.
extension ComponentReference {
  /// `layer NAME key=value…`, e.g. `.layer("dropout", ["rate": 0.2])` or `.layer("softmax")`.
  public static func layer(_ name: String, _ options: KeyValuePairs<String, OptionValue> = [:])
    -> ComponentReference
  {
    ComponentReference(kind: .layer, name: name, given: options)
  }

  /// `layer dense units=N activation=NAME`: a fully connected layer of `units` outputs followed by
  /// the activation named `activation` (default `identity`), other options at their defaults.
  public static func dense(units: Int, activation: String = "identity") -> ComponentReference {
    .layer("dense", ["units": .integer(units), "activation": .text(activation)])
  }

  /// `layer dense units=N activation=NAME(key=value…)`: a dense layer whose activation has options,
  /// e.g. `.dense(units: 8, activation: .activation("leaky_relu", ["slope": 0.1]))`.
  public static func dense(units: Int, activation: ComponentReference) -> ComponentReference {
    .layer("dense", ["units": .integer(units), "activation": .component(activation)])
  }

  /// An activation with options, for `dense(units:activation:)`.
  public static func activation(
    _ name: String, _ options: KeyValuePairs<String, OptionValue> = [:]
  ) -> ComponentReference {
    ComponentReference(kind: .activation, name: name, given: options)
  }

  /// `loss NAME key=value…`, e.g. `.loss("mse")` or `.loss("huber", ["delta": 0.5])`.
  public static func loss(_ name: String, _ options: KeyValuePairs<String, OptionValue> = [:])
    -> ComponentReference
  {
    ComponentReference(kind: .loss, name: name, given: options)
  }

  /// `optimizer NAME key=value…`, e.g. `.optimizer("sgd", ["lr": 0.1, "momentum": 0.9])`.
  public static func optimizer(
    _ name: String, _ options: KeyValuePairs<String, OptionValue> = [:]
  ) -> ComponentReference {
    ComponentReference(kind: .optimizer, name: name, given: options)
  }

  /// `schedule NAME key=value…`, e.g. `.schedule("cosine")`.
  public static func schedule(
    _ name: String, _ options: KeyValuePairs<String, OptionValue> = [:]
  ) -> ComponentReference {
    ComponentReference(kind: .schedule, name: name, given: options)
  }

  /// An initializer with options, for a layer's `init=` or `bias_init=`.
  public static func initializer(
    _ name: String, _ options: KeyValuePairs<String, OptionValue> = [:]
  ) -> ComponentReference {
    ComponentReference(kind: .initializer, name: name, given: options)
  }

  /// `data NAME key=value…`, e.g. `.data("xor", ["classes": true])` or
  /// `.data("csv", ["path": "iris.csv"])`.
  public static func data(_ name: String, _ options: KeyValuePairs<String, OptionValue> = [:])
    -> ComponentReference
  {
    ComponentReference(kind: .dataset, name: name, given: options)
  }

  /// A reference of `kind` holding the `given` options in the order written.
  init(kind: ComponentKind, name: String, given: KeyValuePairs<String, OptionValue>) {
    self.init(kind: kind, name: name, options: Options(given.map { ($0.key, $0.value) }))
  }
}
