import NNDatasets
import NNProtocols
import Testing

@Suite("column selectors")
struct ColumnSelectorTests {
  @Test func namesPositionsAndRanges() throws {
    #expect(
      try ColumnSelector.parseList("a, 3,2-4 ,b-c,,x1")
        == [.name("a"), .index(3), .range(2...4), .name("b-c"), .name("x1")])
    #expect(try ColumnSelector.parseList("") == [])
  }

  @Test("a range stays a range: a hundred million positions are never listed")
  func hugeRangeIsNotExpanded() throws {
    #expect(try ColumnSelector.parseList("1-100000000") == [.range(1...100_000_000)])
    #expect(ColumnSelector.range(2...5).description == "2-5")
  }

  @Test func positionsStartAtOne() {
    #expect(
      inputError { try ColumnSelector.parseList("0,1") }?.message
        == "column positions start at 1, got 0 in '0,1'")
    #expect(
      inputError { try ColumnSelector.parseList("5-2") }?.message
        == "column range '5-2' must run from a position ≥ 1 up to a larger one, in '5-2'")
  }
}
