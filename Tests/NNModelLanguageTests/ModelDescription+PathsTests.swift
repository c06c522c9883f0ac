import Foundation
import Testing

@testable import NNModelLanguage

@Suite("ModelDescription paths")
struct ModelDescriptionPathsTests {
  @Test("relative paths join the base folder; '.' and '..' are removed; absolute paths stay")
  func absolute() {
    #expect(ModelDescription.absolutePath("x.csv", base: "/a/b") == "/a/b/x.csv")
    #expect(ModelDescription.absolutePath("./d/../x.csv", base: "/a/b/") == "/a/b/x.csv")
    #expect(ModelDescription.absolutePath("../../../x", base: "/a/b") == "/x")
    #expect(ModelDescription.absolutePath("/c//d/./e/", base: "/a/b") == "/c/d/e")
    #expect(ModelDescription.absolutePath("", base: "/a/b") == "")
    #expect(ModelDescription.absolutePath("my file.csv", base: "/a") == "/a/my file.csv")
  }

  @Test("a relative base is taken from the current directory")
  func relativeBase() {
    let current = FileManager.default.currentDirectoryPath
    #expect(
      ModelDescription.absoluteDirectory("") == ModelDescription.absolutePath(".", base: current))
    #expect(
      ModelDescription.absoluteDirectory("m") == ModelDescription.absolutePath("m", base: current))
  }

  @Test("paths print relative to the base when they share more than the root")
  func relative() {
    #expect(ModelDescription.relativePath("/a/b/x.csv", base: "/a/b") == "x.csv")
    #expect(ModelDescription.relativePath("/a/b/c/x.csv", base: "/a/b") == "c/x.csv")
    #expect(ModelDescription.relativePath("/a/x.csv", base: "/a/b/c") == "../../x.csv")
    #expect(ModelDescription.relativePath("/a/b", base: "/a/b") == ".")
    #expect(ModelDescription.relativePath("/tmp/x.csv", base: "/a/b") == "/tmp/x.csv")
    #expect(ModelDescription.relativePath("rel/x.csv", base: "/a/b") == "rel/x.csv")
  }

  @Test(
    "relativePath is the inverse of absolutePath",
    arguments: ["/a/b/x", "/a/x", "/a/b/c/d/x y.csv", "/tmp/q", "/a/b", "/a"])
  func inverse(_ path: String) {
    let base = "/a/b"
    let relative = ModelDescription.relativePath(path, base: base)
    #expect(ModelDescription.absolutePath(relative, base: base) == path)
  }
}
