import Foundation
import NNCheckpoints
import NNONNX
import NNPipeline
import NNProtocols

/// The arguments of `nnpipe export` besides `--force`.
enum ExportArguments {
  static let checkpoint = Argument.positional(
    "CHECKPOINT", help: "A checkpoint written by nnpipe run.")
  static let output = Argument.positional("OUTPUT", help: "The .onnx file to write.")
  static let raw = Argument.flag(
    "raw",
    help: "Output the last layer's raw scores (logits), without the loss's softmax or sigmoid.")
}

/// `nnpipe export CHECKPOINT MODEL.onnx`
let exportCommand = Command(
  name: "export",
  abstract: "Write a trained model as a standard ONNX model (opset 17).",
  discussion: """
    The feature standardization saved in the checkpoint is folded into the graph, so the ONNX model \
    takes raw inputs as `nnpipe predict` does. Input "input" [batch, features]; initializers are \
    named after the parameter paths. The output [batch, outputs] is named after what it holds: \
    "probabilities" when the model outputs them, or when its loss takes logits (cross_entropy, \
    bce_with_logits), in which case the graph ends in the softmax or sigmoid the loss applies, so its \
    outputs are `nnpipe predict`'s probabilities; with --raw such a model's output is "logits"; \
    otherwise "output". See Documentation/ONNX.md.
    """,
  arguments: [
    ExportArguments.checkpoint,
    ExportArguments.output,
    ExportArguments.raw,
    forceArgument,
  ]
) { arguments, context in
  let path = arguments[ExportArguments.checkpoint]
  let output = arguments[ExportArguments.output]
  try OutputGuard(
    outputs: [OutputGuard.Output(output, kind: .onnx, origin: .init(setting: "OUTPUT"))],
    inputs: [OutputGuard.Input(path, role: "the CHECKPOINT argument")],
    force: arguments[forceArgument]
  ).check()
  let model = try TrainedModel(checkpointAt: path, registry: context.registry)
  let checkpoint = try Checkpoint.read(from: path)
  let network = try onnxNetwork(
    model, checkpoint: checkpoint, file: path, raw: arguments[ExportArguments.raw])
  try ONNXExporter().write(network, producerVersion: nnpipeVersion, to: output)
  context.console.message(
    "wrote \(output): \(network.layers.count) layer\(network.layers.count == 1 ? "" : "s"), "
      + "\(network.inputSize) inputs, \(network.precision.rawValue)")
  return ExitStatus.success
}

/// The ONNX description of a checkpoint's network: layers from the stored model text, weights from its
/// tensors, standardization folded in, and (unless `raw`) the output transform that turns a logits
/// loss's scores into probabilities. The output is named after what it holds.
func onnxNetwork(_ model: TrainedModel, checkpoint: Checkpoint, file: String, raw: Bool = false)
  throws -> ONNXNetwork
{
  if let targets = model.targetScaler, !targets.isIdentity {
    throw InputError(
      file: file,
      "cannot export: the model scales its regression targets (preprocess targets=…), which the "
        + "exported graph would have to undo; train with targets=none to export")
  }
  var layers: [ONNXLayer] = []
  for (index, reference) in model.description.layers.enumerated() {
    switch reference.name {
    case "dense":
      guard let weight = checkpoint.matrix(named: "layers.\(index).weight", as: Double.self) else {
        throw InputError(file: file, "tensor 'layers.\(index).weight' is missing")
      }
      let bias = checkpoint.matrix(named: "layers.\(index).bias", as: Double.self)?.scalars
      let activation = reference.options.component("activation")
      layers.append(
        .dense(
          weight: weight.scalars, outputs: weight.rows, inputs: weight.cols, bias: bias,
          activation: activation.name,
          activationOptions: try ONNXActivationMapping.numericOptions(
            activation.options, of: activation.name)))
    case "activation":
      let activation = reference.options.component("function")
      layers.append(
        .activation(
          name: activation.name,
          options: try ONNXActivationMapping.numericOptions(activation.options, of: activation.name)
        ))
    case "dropout":
      layers.append(.dropout(rate: reference.options.real("rate")))
    case "softmax":
      layers.append(.softmax)
    default:
      throw InputError(
        file: file,
        "cannot export layer \(index) ('\(reference.name)') to ONNX: no equivalent operator")
    }
  }
  let transform =
    raw ? .none : ONNXOutputTransform.probabilities(for: model.loss, outputs: model.outputSize)
  let outputName =
    switch model.loss.expectedOutput {
    case .logits: transform == .none ? "logits" : "probabilities"
    case .probabilities: "probabilities"
    case .values: "output"
    }
  let scaler = model.featureScaler
  return ONNXNetwork(
    inputSize: scaler.columns, layers: layers,
    precision: model.description.training.precision == .double ? .double : .float,
    outputName: outputName, inputShift: scaler.isIdentity ? nil : scaler.offset,
    inputScale: scaler.isIdentity ? nil : scaler.scale, outputTransform: transform)
}
