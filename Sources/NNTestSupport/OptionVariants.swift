import NNProtocols

/// The option sets a component is tested with, derived from its declared `OptionSpec`s: all
/// defaults, then each option changed on its own to a non-default value, then all changed together
/// (when more than one can change). A new option is exercised without editing the tests.
///
/// The changed value of each type: a real default `v` becomes `v / 2` (or `0.1` for `0`); a word
/// with choices takes each other choice in turn; a boolean is negated; an integer `n` becomes
/// `n + 1`; a list becomes `[0.5, 2, 1]` (one value per class of a three-class test). Options without
/// a default, paths and components keep their value.
public func optionVariants(_ specs: [OptionSpec]) -> [[(key: String, value: OptionValue)]] {
  var variants: [[(key: String, value: OptionValue)]] = [[]]
  var combined: [(key: String, value: OptionValue)] = []
  for spec in specs {
    let alternatives: [OptionValue]
    switch (spec.type, spec.defaultValue) {
    case (.real, .real(let value)?): alternatives = [.real(value == 0 ? 0.1 : value / 2)]
    case (.text(let choices?), .text(let value)?):
      alternatives = choices.filter { $0 != value }.map { .text($0) }
    case (.boolean, .boolean(let value)?): alternatives = [.boolean(!value)]
    case (.integer, .integer(let value)?): alternatives = [.integer(value + 1)]
    case (.realList, _): alternatives = [.realList([0.5, 2, 1])]
    default: alternatives = []
    }
    for alternative in alternatives { variants.append([(spec.name, alternative)]) }
    if let first = alternatives.first { combined.append((spec.name, first)) }
  }
  if combined.count > 1 { variants.append(combined) }
  return variants
}
