import NNOptimizers
import NNProtocols
import NNTestSupport
import Testing

/// A registry holding the built-in schedules.
private func registry() throws -> ComponentRegistry {
  var registry = ComponentRegistry()
  try registry.registerBuiltinSchedules()
  return registry
}

/// The schedule `name` built from `given` options (the rest default).
private func make(
  _ name: String, _ given: [(key: String, value: OptionValue)] = []
) throws -> any LearningRateSchedule {
  let registry = try registry()
  return try registry.makeSchedule(registry.reference(.schedule, name, given))
}

@Suite("Built-in schedules in the registry") struct BuiltinSchedulesTests {
  @Test("the five schedules are registered, each with a summary and documented options")
  func registered() throws {
    let registry = try registry()
    #expect(
      registry.names(of: .schedule) == [
        "constant", "cosine", "exponential", "linear_warmup", "step",
      ])
    for name in registry.names(of: .schedule) {
      #expect(registry.summary(of: .schedule, named: name)?.isEmpty == false)
      for spec in registry.optionSpecs(of: .schedule, named: name) ?? [] {
        #expect(!spec.help.isEmpty && spec.defaultValue != nil, "\(name).\(spec.name)")
      }
    }
  }

  @Test(
    "every schedule builds with its defaults",
    arguments: ["constant", "step", "exponential", "cosine", "linear_warmup"])
  func defaults(name: String) throws {
    let schedule = try make(name)
    #expect(schedule.name == name)
    switch schedule {
    case is ConstantSchedule: break
    case let step as StepSchedule: #expect(step == (try StepSchedule()))
    case let exponential as ExponentialSchedule: #expect(exponential == (try ExponentialSchedule()))
    case let cosine as CosineSchedule: #expect(cosine == (try CosineSchedule()))
    case let warmup as LinearWarmupSchedule: #expect(warmup == (try LinearWarmupSchedule()))
    default: Issue.record("\(name) built an unexpected type \(type(of: schedule))")
    }
  }

  @Test("given options reach the schedule")
  func options() throws {
    let step = try make("step", [("step_size", .integer(10)), ("gamma", .real(0.5))])
    #expect(step.rate(epoch: 25, totalEpochs: 100, baseRate: 1) == 0.25)
    let cosine = try make("cosine", [("min_lr", .real(0.01))])
    #expect(isApproximatelyEqual(cosine.rate(epoch: 10, totalEpochs: 10, baseRate: 1), 0.01))
  }

  @Test(
    "out-of-range values are rejected by resolveOptions, naming the option",
    arguments: [
      ("step", "step_size", OptionValue.integer(0)),
      ("step", "gamma", .real(0)),
      ("step", "gamma", .real(1.5)),
      ("exponential", "gamma", .real(-0.5)),
      ("cosine", "min_lr", .real(-1)),
      ("linear_warmup", "warmup_epochs", .integer(0)),
      ("linear_warmup", "start_factor", .real(2)),
    ])
  func outOfRange(name: String, option: String, value: OptionValue) throws {
    let result = try registry().resolveOptions(of: .schedule, named: name, given: [(option, value)])
    guard case .failure(let problems) = result else {
      Issue.record("\(name) \(option)=\(value) was accepted")
      return
    }
    #expect(problems.description.contains("schedule '\(name)' option '\(option)'"))
  }

  @Test("constant takes no options")
  func constantHasNoOptions() throws {
    let result = try registry().resolveOptions(
      of: .schedule, named: "constant", given: [("gamma", .real(0.5))])
    guard case .failure(let problems) = result else {
      Issue.record("an unknown option was accepted")
      return
    }
    #expect(problems.description.contains("unknown option 'gamma'"))
  }
}
