import NNDatasets
import NNProtocols
import NNTestSupport
import Testing

@Suite("IDX reader")
struct IDXReaderTests {
  /// A folder with 3 images of 2×2 pixels and their labels.
  func mnistLike(labels: [Double] = [2, 0, 1]) throws -> TemporaryFolder {
    let folder = try TemporaryFolder()
    try folder.write(
      "images",
      bytes: idxBytes(.ubyte, dimensions: [3, 2, 2], values: (0..<12).map { Double($0 * 20) }))
    try folder.write("labels", bytes: idxBytes(.ubyte, dimensions: [labels.count], values: labels))
    return folder
  }

  @Test func imagesAndLabels() throws {
    let folder = try mnistLike()
    let data = try IDXReader().read(images: "images", labels: "labels", baseDirectory: folder.path)
    #expect(data.name == "images")
    #expect(data.features.shape == [3, 4])
    #expect(data.features.scalars == (0..<12).map { Double($0 * 20) })
    #expect(data.targets.scalars == [2, 0, 1])
    #expect(data.classNames == ["0", "1", "2"])
  }

  @Test func normalizeDividesBytesBy255() throws {
    let folder = try mnistLike()
    let data = try IDXReader(normalize: true, classes: 10)
      .read(images: "images", labels: "labels", baseDirectory: folder.path)
    #expect(data.features.scalars == (0..<12).map { Double($0 * 20) / 255 })
    #expect(data.classNames?.count == 10)
  }

  @Test func normalizeRefusesNonByteImages() throws {
    let folder = try TemporaryFolder()
    try folder.write("f", bytes: idxBytes(.float, dimensions: [1, 2], values: [0.5, 1]))
    let error = inputError {
      try IDXReader(normalize: true).read(images: "f", baseDirectory: folder.path)
    }
    #expect(
      error?.message
        == "normalize=true divides byte images (ubyte by 255, sbyte by 128), but this file holds"
        + " float elements")
  }

  @Test func withoutLabelsThereAreNoTargets() throws {
    let folder = try mnistLike()
    let data = try IDXReader().read(images: "images", baseDirectory: folder.path)
    #expect(data.targets.shape == [3, 0])
    #expect(!data.isClassification)
  }

  @Test func countsMustAgree() throws {
    let folder = try mnistLike(labels: [1, 2])
    let error = inputError {
      try IDXReader().read(images: "images", labels: "labels", baseDirectory: folder.path)
    }
    #expect(error?.file == "labels")
    #expect(error?.message == "2 labels, but images holds 3 images; expected one label per image")
  }

  @Test func labelsMustBeClassIndices() throws {
    let folder = try mnistLike(labels: [1, 2, 7])
    let error = inputError {
      try IDXReader(classes: 5).read(images: "images", labels: "labels", baseDirectory: folder.path)
    }
    #expect(error?.message == "label 2 (at byte offset 10) is 7; expected a class index 0…4")
    try folder.write("signed", bytes: idxBytes(.sbyte, dimensions: [3], values: [1, -1, 0]))
    #expect(
      inputError {
        try IDXReader().read(images: "images", labels: "signed", baseDirectory: folder.path)
      }?.message == "label 1 (at byte offset 9) is -1; expected a whole number ≥ 0")
  }

  @Test func missingFile() throws {
    let folder = try TemporaryFolder()
    let error = inputError {
      try IDXReader().read(images: "t10k-images", baseDirectory: folder.path)
    }
    #expect(error?.file == "t10k-images")
    #expect(error?.message == "no such file")
  }
}
