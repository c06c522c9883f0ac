import Foundation
import NNProtocols
import Testing

@Suite("InputError")
struct InputErrorTests {
  @Test("the compilers' format: place, message, source line with a caret, note")
  func format() {
    let error = InputError(
      file: "m.txt", line: 7, column: 12, "unknown activation 'sigmod'",
      sourceLine: "layer dense activation=sigmod", hint: "see nnpipe list")
    #expect(
      error.description
        == "m.txt:7:12: error: unknown activation 'sigmod'\n    layer dense activation=sigmod\n"
        + "               ^\nnote: see nnpipe list")
  }

  @Test("a 10 MB source line is shown as an excerpt; control characters are escaped")
  func longAndInvisibleText() {
    let line = String(repeating: "x", count: 10_000_000) + "\u{1B}[2J"
    let error = InputError(
      file: "d.csv", line: 1, column: 10_000_001, "bad \u{1B}[2J cell", sourceLine: line)
    let text = error.description
    #expect(text.utf8.count < 400)
    #expect(!text.unicodeScalars.contains("\u{1B}"))
    #expect(text.hasPrefix("d.csv:1:10000001: error: bad \\u{1B}[2J cell\n    …xxx"))
    let lines = text.split(separator: "\n")
    #expect(Array(lines[1])[lines[2].count - 1] == "\\")
  }

  @Test("suggestions: close names only, and no search for names over 64 bytes")
  func closestNames() {
    let names = ["sigmoid", "relu", "tanh"]
    #expect(closestName(to: "sigmod", in: names) == "sigmoid")
    #expect(closestName(to: "RELU", in: names) == "relu")
    #expect(closestName(to: "sigm\u{43E}id", in: names) == "sigmoid")
    #expect(closestName(to: "softmax", in: names) == nil)
    #expect(
      closestName(to: String(repeating: "a", count: 65), in: [String(repeating: "a", count: 64)])
        == nil)
    #expect(
      closestName(to: String(repeating: "a", count: 64), in: [String(repeating: "a", count: 63)])
        != nil)
  }

  /// Before: a 1 MB word took 5 s and 200 MB (the whole edit-distance table against every candidate).
  @Test("a 1 MB word gets its answer at once")
  func hugeWord() {
    let word = String(repeating: "a", count: 1_000_000)
    let started = Date()
    #expect(closestName(to: word, in: ["sigmoid", "relu"]) == nil)
    #expect(Date().timeIntervalSince(started) < 0.5)
  }

  @Test("edit distance: insertions, deletions, substitutions, neighbour transpositions")
  func editDistances() {
    #expect(editDistance("", "abc") == 3)
    #expect(editDistance("abc", "") == 3)
    #expect(editDistance("rnu", "run") == 1)
    #expect(editDistance("kitten", "sitting") == 3)
    #expect(editDistance("sitting", "kitten") == 3)
    #expect(editDistance("ca", "abc") == 3)  // optimal string alignment, not full Damerau
    #expect(editDistance("same", "same") == 0)
  }
}
