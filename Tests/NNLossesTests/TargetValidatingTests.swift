import NNLosses
import NNProtocols
import NNTestSupport
import Testing

@Suite("TargetProblem")
struct TargetValidatingTests {
  @Test("the description names the row and column, counted from 1 as in a data file")
  func description() {
    #expect(TargetProblem(row: 2, column: 0, "bad").description == "row 3, column 1: bad")
    #expect(TargetProblem(row: 0, "bad").description == "row 1: bad")
    #expect(TargetProblem("bad shape").description == "bad shape")
  }

  @Test("every built-in loss reports a wrong number of target columns", arguments: builtinLossNames)
  func wrongColumns(name: String) throws {
    let loss = try #require(try makeLoss(name) as? any TargetValidating)
    let problem = loss.targetProblem(Matrix<Double>(rows: 2, cols: 2), outputs: 5)
    #expect(problem != nil && problem?.row == nil, "\(name): \(String(describing: problem))")
    #expect(problem?.message.hasPrefix(loss.name) == true)
  }

  @Test(
    "every built-in loss reports a NaN target with its row and column", arguments: builtinLossNames)
  func nanTarget(name: String) throws {
    let loss = try #require(try makeLoss(name) as? any TargetValidating)
    let accepted = try #require(acceptedTargetKinds(loss as any Loss).first)
    let targets = accepted.targets()
    targets[2, 0] = .nan
    let problem = loss.targetProblem(targets, outputs: testClasses)
    #expect(problem?.row == 2 && problem?.column == 0, "\(name): \(String(describing: problem))")
  }
}
