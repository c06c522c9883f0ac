import Foundation
import NNProtocols
import NNTestSupport
import Testing

@testable import NNCheckpoints

/// A safetensors file built by hand: the 8-byte little-endian length of `header`, `header`, `data`.
func safetensorsBytes(header: String, data: [UInt8] = []) -> [UInt8] {
  let json = Array(header.utf8)
  return (0..<8).map { UInt8(truncatingIfNeeded: UInt64(json.count) >> (8 * UInt64($0))) } + json
    + data
}

/// The `InputError` reading `bytes` as `model.safetensors` throws, or `nil` (recorded) if none.
func safetensorsError(
  _ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation
) -> InputError? {
  let error = #expect(throws: InputError.self, sourceLocation: sourceLocation) {
    try SafetensorsFile(bytes: bytes, file: "model.safetensors")
  }
  #expect(error?.file == "model.safetensors", sourceLocation: sourceLocation)
  return error
}

@Suite struct SafetensorsTests {
  // MARK: Golden bytes

  @Test func decodesAHandBuiltFile() throws {
    // F32 [2, 1]: 1.0 = 0x3F800000, -2.5 = 0xC0200000; then F64 [1]: 0.5 = 0x3FE0000000000000.
    let data: [UInt8] = [
      0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x20, 0xC0,
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xE0, 0x3F,
    ]
    let header =
      #"{"w":{"dtype":"F32","shape":[2,1],"data_offsets":[0,8]},"#
      + #""b":{"data_offsets":[8,16],"shape":[1],"dtype":"F64"},"#
      + #""__metadata__":{"format":"pt","note":"h\u00e9"}}   "#
    let file = try SafetensorsFile(
      bytes: safetensorsBytes(header: header, data: data), file: "golden.safetensors")
    #expect(file.tensors.keys.sorted() == ["b", "w"])
    #expect(file.tensors["w"]?.dtype == .f32)
    #expect(file.tensors["w"]?.shape == [2, 1])
    #expect(file.tensors["w"]?.values() == [1, -2.5])
    #expect(file.tensors["b"]?.dtype == .f64)
    #expect(file.tensors["b"]?.values() == [0.5])
    #expect(file.metadata == ["format": "pt", "note": "hé"])
  }

  @Test func writesTheExpectedBytes() {
    let file = SafetensorsFile(
      tensors: [
        "b": SafetensorsTensor(shape: [1], values: [0.5], dtype: .f32),
        "a": SafetensorsTensor(shape: [1], values: [1], dtype: .f32),
      ],
      metadata: ["k": "v"])
    let header =
      #"{"__metadata__":{"k":"v"},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"#
      + #""b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#
    let padding = String(repeating: " ", count: (8 - header.utf8.count % 8) % 8)
    let expected = safetensorsBytes(
      header: header + padding, data: [0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0x3F])
    #expect(file.serialized() == expected)
  }

  @Test func alignsTheDataAndPutsLargerElementsFirst() throws {
    let file = SafetensorsFile(tensors: [
      "a.small": SafetensorsTensor(shape: [3], values: [1, 2, 3], dtype: .f32),
      "z.large": SafetensorsTensor(shape: [1], values: [4], dtype: .f64),
    ])
    #expect(file.orderedNames == ["z.large", "a.small"])
    let bytes = file.serialized()
    let headerLength = bytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.1) << (8 * $1.0) }
    #expect((8 + headerLength) % 8 == 0, "the data buffer starts at a multiple of 8")
    #expect(try SafetensorsFile(bytes: bytes, file: "x") == file)
  }

  // MARK: Round trips

  @Test func roundTripsF32AndF64BitForBit() throws {
    var generator = SeededGenerator(seed: 7)
    let floats: [Float] =
      [0, -0.0, 1, .leastNonzeroMagnitude, .greatestFiniteMagnitude, .infinity, -.infinity]
      + (0..<200).map { _ in Float(generator.normal()) }
    let doubles: [Double] =
      [0, -0.0, 0.1, .leastNonzeroMagnitude, .greatestFiniteMagnitude, -.infinity]
      + (0..<200).map { _ in generator.normal() * 1e10 }
    let original = SafetensorsFile(
      tensors: [
        "layers.0.weight": SafetensorsTensor(Matrix(rows: 1, cols: floats.count, scalars: floats)),
        "layers.0.bias": SafetensorsTensor(
          Matrix(rows: 1, cols: doubles.count, scalars: doubles), shape: [doubles.count]),
        "empty": SafetensorsTensor(shape: [0, 3], values: [], dtype: .f32),
      ],
      metadata: ["model": "dense units=20 activation=sigmoid\n", "ü": "\"quoted\"\t"])
    let folder = try ScratchFolder()
    defer { folder.remove() }
    let path = folder.file("round.safetensors")
    try original.write(to: path)
    let read = try SafetensorsFile(contentsOf: path)
    #expect(read == original)
    let weight = try #require(
      read.tensors["layers.0.weight"]?.matrix(rows: 1, cols: floats.count, as: Float.self))
    #expect(weight.scalars.map(\.bitPattern) == floats.map(\.bitPattern))
    let bias = try #require(read.tensors["layers.0.bias"])
    #expect(bias.shape == [doubles.count])
    #expect(bias.values().map(\.bitPattern) == doubles.map(\.bitPattern))
    #expect(try SafetensorsFile.metadata(atPath: path) == original.metadata)
  }

  // MARK: Malformed files, one test per check

  @Test func aFileShorterThanTheLengthFieldIsRefused() {
    let error = safetensorsError([1, 2, 3])
    #expect(
      error?.message
        == "the file is 3 bytes long, too short for safetensors (it starts with an 8-byte header length)"
    )
    #expect(error?.hint == "the file is truncated, or it is not a safetensors file")
  }

  @Test func aHeaderLengthLargerThanTheFileIsRefused() {
    var bytes = safetensorsBytes(header: "{}")
    bytes[0] = 200
    let error = safetensorsError(bytes)
    #expect(error?.message == "header length 200 is larger than the 2 bytes that follow it")
  }

  @Test func aHeaderLengthBeyondTheLimitIsRefused() {
    let huge: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF] + Array("{}".utf8)
    #expect(
      safetensorsError(huge)?.message
        == "header length 18446744073709551615 is larger than the 100000000-byte limit")
    let justOver = safetensorsBytes(header: "{}")
    var bytes = justOver
    let length = UInt64(SafetensorsFile.maximumHeaderLength + 1)
    for k in 0..<8 { bytes[k] = UInt8(truncatingIfNeeded: length >> (8 * UInt64(k))) }
    #expect(
      safetensorsError(bytes)?.message
        == "header length 100000001 is larger than the 100000000-byte limit")
  }

  @Test func aTruncatedFileIsRefused() throws {
    let file = SafetensorsFile(tensors: [
      "layers.0.weight": SafetensorsTensor(
        shape: [20, 1], values: Array(repeating: 1, count: 20), dtype: .f32)
    ])
    let bytes = file.serialized()
    let error = safetensorsError(Array(bytes.dropLast(40)))
    #expect(
      error?.message
        == "tensor 'layers.0.weight': data_offsets [0, 80] reach past the end of the data buffer (40 bytes)"
    )
    #expect(error?.hint == "the file is truncated or damaged")
    // Cut inside the header: the length now exceeds what follows.
    #expect(safetensorsError(Array(bytes.prefix(20)))?.message.hasPrefix("header length ") == true)
  }

  @Test func aHeaderThatIsNotUTF8IsRefused() {
    var bytes = safetensorsBytes(header: #"{"w\#u{e9}":1}"#)
    bytes[11] = 0xFF  // the first byte of "é"
    #expect(
      safetensorsError(bytes)?.message == "the header is not valid UTF-8 (at byte 11 of the file)")
  }

  @Test func invalidJSONIsRefusedWithItsPosition() {
    let bytes = safetensorsBytes(header: #"{"w":{"dtype":"F32",}}"#)
    #expect(
      safetensorsError(bytes)?.message
        == "the header is not valid JSON: expected a string key, found '}' (at byte 28 of the file)"
    )
  }

  @Test func aHeaderThatIsNotAnObjectIsRefused() {
    #expect(
      safetensorsError(safetensorsBytes(header: "[1, 2]"))?.message
        == "the header must be a JSON object, found an array")
  }

  @Test func aDuplicateTensorNameIsRefused() {
    let entry = #"{"dtype":"U8","shape":[1],"data_offsets":[0,1]}"#
    let bytes = safetensorsBytes(header: #"{"w":\#(entry),"w":\#(entry)}"#, data: [0])
    #expect(
      safetensorsError(bytes)?.message
        == "the header is not valid JSON: duplicate key \"w\" (at byte \(8 + 6 + entry.utf8.count) of the file)"
    )
  }

  @Test func anEntryThatIsNotAnObjectIsRefused() {
    #expect(
      safetensorsError(safetensorsBytes(header: #"{"w":5}"#))?.message
        == "tensor 'w': expected an object with dtype, shape and data_offsets, found the number 5")
  }

  @Test func missingDataOffsetsAreRefused() {
    let bytes = safetensorsBytes(header: #"{"w":{"dtype":"F32","shape":[1]}}"#, data: [0, 0, 0, 0])
    #expect(safetensorsError(bytes)?.message == "tensor 'w': missing 'data_offsets'")
  }

  @Test func anUnknownEntryKeyIsRefused() {
    let header = #"{"w":{"dtype":"U8","shape":[1],"data_offsets":[0,1],"strides":[1]}}"#
    #expect(
      safetensorsError(safetensorsBytes(header: header, data: [0]))?.message
        == "tensor 'w': unknown key 'strides'; expected dtype, shape and data_offsets")
  }

  @Test func anUnknownDtypeIsRefusedWithTheKnownOnes() {
    let header = #"{"w":{"dtype":"Q4","shape":[1],"data_offsets":[0,1]}}"#
    #expect(
      safetensorsError(safetensorsBytes(header: header, data: [0]))?.message
        == "tensor 'w': unknown dtype 'Q4'; expected one of F64, F32, F16, BF16, F8_E5M2, F8_E4M3, I64, I32, I16, I8, U64, U32, U16, U8, BOOL"
    )
    let lowercase = #"{"w":{"dtype":"f32","shape":[1],"data_offsets":[0,4]}}"#
    #expect(
      safetensorsError(safetensorsBytes(header: lowercase, data: [0, 0, 0, 0]))?.message
        == "tensor 'w': unknown dtype 'f32'; did you mean 'F32'?")
  }

  @Test func aDtypeThatIsNotAStringIsRefused() {
    let header = #"{"w":{"dtype":32,"shape":[1],"data_offsets":[0,4]}}"#
    #expect(
      safetensorsError(safetensorsBytes(header: header, data: [0, 0, 0, 0]))?.message
        == "tensor 'w': 'dtype' must be a string, found the number 32")
  }

  @Test func aNegativeDimensionIsRefused() {
    let header = #"{"w":{"dtype":"F32","shape":[-1,2],"data_offsets":[0,0]}}"#
    #expect(
      safetensorsError(safetensorsBytes(header: header))?.message
        == "tensor 'w': shape[0] must be a non-negative integer, found -1, which is negative")
  }

  @Test func aFractionalDimensionOrAShapeThatIsNotAnArrayIsRefused() {
    let fraction = #"{"w":{"dtype":"F32","shape":[2.5],"data_offsets":[0,0]}}"#
    #expect(
      safetensorsError(safetensorsBytes(header: fraction))?.message
        == "tensor 'w': shape[0] must be a non-negative integer, found 2.5, which is not a whole number"
    )
    let scalar = #"{"w":{"dtype":"F32","shape":3,"data_offsets":[0,12]}}"#
    #expect(
      safetensorsError(safetensorsBytes(header: scalar))?.message
        == "tensor 'w': 'shape' must be an array of integers, found the number 3")
  }

  @Test func aSizeMismatchNamesBothSizes() {
    let header = #"{"layers.0.weight":{"dtype":"F32","shape":[20,1],"data_offsets":[0,76]}}"#
    let error = safetensorsError(
      safetensorsBytes(header: header, data: Array(repeating: 0, count: 76)))
    #expect(
      error?.message
        == "tensor 'layers.0.weight': shape [20, 1] needs 80 bytes of F32, data_offsets give 76")
    #expect(
      error?.description
        == "model.safetensors: error: tensor 'layers.0.weight': shape [20, 1] needs 80 bytes of F32, data_offsets give 76"
    )
  }

  @Test func overflowInTheShapeProductIsRefused() {
    let header = #"{"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,0]}}"#
    #expect(
      safetensorsError(safetensorsBytes(header: header))?.message
        == "tensor 'w': shape [4294967296, 4294967296] of F32 has more bytes than a 64-bit size can count"
    )
    // The element count fits, the byte count does not: 2⁶² elements of 4 bytes.
    let bytesOverflow = #"{"w":{"dtype":"F32","shape":[4611686018427387904],"data_offsets":[0,0]}}"#
    #expect(
      safetensorsError(safetensorsBytes(header: bytesOverflow))?.message
        == "tensor 'w': shape [4611686018427387904] of F32 has more bytes than a 64-bit size can count"
    )
    let tooLarge = #"{"w":{"dtype":"F32","shape":[99999999999999999999],"data_offsets":[0,0]}}"#
    #expect(
      safetensorsError(safetensorsBytes(header: tooLarge))?.message
        == "tensor 'w': shape[0] must be a non-negative integer, found 99999999999999999999, which is too large for a 64-bit integer"
    )
  }

  @Test func overlappingTensorsAreRefused() {
    let header =
      #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"#
      + #""b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
    #expect(
      safetensorsError(safetensorsBytes(header: header, data: Array(repeating: 0, count: 12)))?
        .message
        == "tensors 'a' (data_offsets [0, 8]) and 'b' (data_offsets [4, 12]) overlap in the data buffer"
    )
  }

  @Test func emptyTensorsMaySitAnywhereInTheBuffer() throws {
    let header =
      #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"#
      + #""e":{"dtype":"F32","shape":[0],"data_offsets":[4,4]}}"#
    let file = try SafetensorsFile(
      bytes: safetensorsBytes(header: header, data: Array(repeating: 0, count: 8)), file: "x")
    #expect(file.tensors["e"]?.elementCount == 0)
  }

  @Test func offsetsPastTheEndAreRefused() {
    let header = #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}"#
    #expect(
      safetensorsError(safetensorsBytes(header: header, data: Array(repeating: 0, count: 8)))?
        .message
        == "tensor 'w': data_offsets [8, 16] reach past the end of the data buffer (8 bytes)")
  }

  @Test func offsetsThatEndBeforeTheyBeginAreRefused() {
    let header = #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}"#
    #expect(
      safetensorsError(safetensorsBytes(header: header, data: Array(repeating: 0, count: 8)))?
        .message == "tensor 'w': data_offsets [8, 0] end before they begin")
  }

  @Test func offsetsOfTheWrongFormAreRefused() {
    let one = #"{"w":{"dtype":"U8","shape":[1],"data_offsets":[0]}}"#
    #expect(
      safetensorsError(safetensorsBytes(header: one, data: [0]))?.message
        == "tensor 'w': 'data_offsets' must be an array of two integers [begin, end], found an array of length 1"
    )
    let negative = #"{"w":{"dtype":"U8","shape":[1],"data_offsets":[-1,0]}}"#
    #expect(
      safetensorsError(safetensorsBytes(header: negative, data: [0]))?.message
        == "tensor 'w': data_offsets begin must be a non-negative integer, found -1, which is negative"
    )
  }

  @Test func metadataValuesMustBeStrings() {
    #expect(
      safetensorsError(safetensorsBytes(header: #"{"__metadata__":{"epoch":3}}"#))?.message
        == "metadata key 'epoch' must have a string value, found the number 3")
    #expect(
      safetensorsError(safetensorsBytes(header: #"{"__metadata__":["a"]}"#))?.message
        == "'__metadata__' must be an object of strings, found an array")
  }

  @Test func anEmptyFileWithPaddingIsValid() throws {
    let file = try SafetensorsFile(bytes: safetensorsBytes(header: "{}      "), file: "x")
    #expect(file.tensors.isEmpty && file.metadata.isEmpty)
  }

  /// Random damage to a valid file must give either a file or an `InputError`: never a crash, a hang
  /// or another kind of error.
  @Test func damagedFilesNeverCrashTheReader() throws {
    var generator = SeededGenerator(seed: 2024)
    let original = SafetensorsFile(
      tensors: [
        "layers.0.weight": SafetensorsTensor(
          shape: [3, 2], values: [1, 2, 3, 4, 5, 6], dtype: .f32),
        "layers.0.bias": SafetensorsTensor(shape: [3], values: [0, 0, 1], dtype: .f64),
      ],
      metadata: ["format": "nnpipe-checkpoint", "epoch": "3"]
    ).serialized()
    var (accepted, refused) = (0, 0)
    for _ in 0..<3000 {
      var bytes = original
      switch generator.next() % 4 {
      case 0:
        for _ in 0...(generator.next() % 4) {
          bytes[Int(generator.next() % UInt64(bytes.count))] = UInt8(
            truncatingIfNeeded: generator.next())
        }
      case 1: bytes.removeLast(Int(generator.next() % UInt64(bytes.count)))
      case 2:
        // Replace a digit of the header with another, changing a shape or an offset.
        let digits = bytes.indices.filter {
          $0 >= 8 && $0 < 8 + 200 && (48...57).contains(bytes[$0])
        }
        bytes[digits[Int(generator.next() % UInt64(digits.count))]] = UInt8(
          48 + generator.next() % 10)
      default:
        bytes.insert(
          UInt8(truncatingIfNeeded: generator.next()),
          at: Int(generator.next() % UInt64(bytes.count)))
      }
      do {
        _ = try SafetensorsFile(bytes: bytes, file: "fuzz")
        accepted += 1
      } catch is InputError {
        refused += 1
      }
    }
    #expect(accepted > 0 && refused > 0)
  }

  // MARK: Interoperability with Python's safetensors package

  @Test(.enabled(if: pythonHasSafetensors, "python3 with safetensors and numpy is not installed"))
  func writtenFilesLoadInPython() throws {
    let folder = try ScratchFolder()
    defer { folder.remove() }
    let path = folder.file("to-python.safetensors")
    let floats: [Float] = [0.1, -2.5, 0x1p-130, 1e30, -0.0, 7]
    let doubles: [Double] = [0.1, -1e-300, 12345.678]
    try SafetensorsFile(
      tensors: [
        "layers.0.weight": SafetensorsTensor(Matrix(rows: 3, cols: 2, scalars: floats)),
        "layers.0.bias": SafetensorsTensor(Matrix(rows: 1, cols: 3, scalars: doubles), shape: [3]),
      ],
      metadata: ["format": "nnpipe-checkpoint", "model": "dense units=3\n"]
    ).write(to: path)
    let script = """
      import json, sys
      from safetensors import safe_open
      from safetensors.numpy import load_file
      tensors = load_file(sys.argv[1])
      with safe_open(sys.argv[1], framework="np") as f:
          metadata = f.metadata()
      print(json.dumps({"metadata": metadata, "tensors": {name: {"dtype": str(t.dtype), \
      "shape": list(t.shape), "values": [float(v).hex() for v in t.ravel()]} for name, t in tensors.items()}}))
      """
    let output = try #require(runPython(["-c", script, path]))
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
    #expect(
      json["metadata"] as? [String: String] == [
        "format": "nnpipe-checkpoint", "model": "dense units=3\n",
      ])
    let tensors = try #require(json["tensors"] as? [String: [String: Any]])
    #expect(tensors["layers.0.weight"]?["dtype"] as? String == "float32")
    #expect(tensors["layers.0.weight"]?["shape"] as? [Int] == [3, 2])
    // Values travel as exact hexadecimal text (`float.hex()`), which Swift's `Double(_:)` reads.
    func values(_ name: String) -> [Double]? {
      (tensors[name]?["values"] as? [String])?.compactMap { Double($0) }
    }
    #expect(values("layers.0.weight")?.map { Float($0) } == floats)
    #expect(tensors["layers.0.bias"]?["dtype"] as? String == "float64")
    #expect(tensors["layers.0.bias"]?["shape"] as? [Int] == [3])
    #expect(values("layers.0.bias") == doubles)
  }

  @Test(.enabled(if: pythonHasSafetensors, "python3 with safetensors and numpy is not installed"))
  func readsFilesWrittenByPython() throws {
    let folder = try ScratchFolder()
    defer { folder.remove() }
    let path = folder.file("from-python.safetensors")
    let script = """
      import json, sys
      import numpy as np
      from safetensors.numpy import save_file
      tensors = {
          "w32": np.array([[0.1, -2.0], [3.5, 1e-3]], dtype=np.float32),
          "w16": np.array([0.1, -65504, 6e-8], dtype=np.float16),
          "w64": np.array([1/3], dtype=np.float64),
          "i64": np.array([-5, 2**40], dtype=np.int64),
          "flags": np.array([True, False]),
      }
      save_file(tensors, sys.argv[1], metadata={"source": "numpy"})
      print(json.dumps({k: [float(v).hex() for v in t.ravel()] for k, t in tensors.items()}))
      """
    let output = try #require(runPython(["-c", script, path]))
    let hexadecimal = try #require(
      try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: [String]])
    let expected = hexadecimal.mapValues { $0.compactMap { Double($0) } }
    let file = try SafetensorsFile(contentsOf: path)
    #expect(file.metadata == ["source": "numpy"])
    #expect(file.tensors["w32"]?.dtype == .f32 && file.tensors["w32"]?.shape == [2, 2])
    #expect(file.tensors["w16"]?.dtype == .f16)
    #expect(file.tensors["flags"]?.dtype == .bool)
    for (name, values) in expected {
      #expect(file.tensors[name]?.values() == values, "tensor \(name)")
    }
  }
}
