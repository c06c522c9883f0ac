import CFuzzerDriver
import FuzzSupport
import NNModelLanguage
import NNPipeline
import NNProtocols

let registry = ComponentRegistry.standard()
let parser = ModelParser(registry: registry)
let printer = ModelPrinter(registry: registry)

/// An input is a model description, optionally followed by a NUL byte and `--set` overrides, one per
/// line. Invalid UTF-8 is refused as `parse(fileAt:)` refuses it.
///
/// Besides accepting only success or `InputErrors`, a description that parses must print as text
/// that parses back to an equal description (what checkpoints rely on: they store the printed text).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzModelParser(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  let end = bytes.firstIndex(of: 0) ?? bytes.count
  guard let text = String(validating: bytes[..<end], as: UTF8.self) else { return 0 }
  let overrides =
    end < bytes.count
    ? String(decoding: bytes[(end + 1)...], as: UTF8.self).split(separator: "\n").map(String.init)
    : []
  acceptInputErrors("ModelParser.parse") {
    let model = try parser.parse(
      text, path: "fuzz.txt", baseDirectory: "/fuzz/models", overrides: overrides)
    let printed = printer.resolvedText(model)
    let again: ModelDescription
    do {
      again = try parser.parse(printed, path: "fuzz.txt", baseDirectory: "/fuzz/models")
    } catch {
      fatalError("the printed description does not parse:\n\(printed)\n\(error)")
    }
    require(again == model, "the printed description reads back differently:\n\(printed)")
  }
  return 0
}

@_cdecl("FuzzModelParser_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
  nnpipe_fuzz_main(argc, argv, fuzzModelParser)
}
