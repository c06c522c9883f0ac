import NNProtocols
import Testing

/// Checks the properties every seeded toy classification set shares: the same seed gives the same
/// data, another seed different data.
func expectSeeded(
  sourceLocation: SourceLocation = #_sourceLocation, _ make: (UInt64) throws -> Dataset
) throws {
  let a = try make(7)
  let b = try make(7)
  let c = try make(8)
  #expect(a.features.elementsEqual(b.features), sourceLocation: sourceLocation)
  #expect(a.targets.elementsEqual(b.targets), sourceLocation: sourceLocation)
  #expect(!a.features.elementsEqual(c.features), sourceLocation: sourceLocation)
}
