import Foundation

/// One labelled mark on a plot axis.
public struct PlotTick: Sendable, Equatable {
  /// Where the tick sits, in data units.
  public var value: Double
  /// The text written beside it.
  public var label: String

  /// A tick at `value` labelled `label`.
  public init(value: Double, label: String) {
    self.value = value
    self.label = label
  }
}

/// Axis arithmetic for the SVG plots: "nice" tick values and the mapping from data to pixels.
///
/// Linear ticks step by 1, 2 or 5 times a power of ten, so a reader can interpolate between them
/// (0…1 gives 0.0, 0.2, …, 1.0; 0…2000 gives 0, 500, …, 2000). Logarithmic ticks are whole decades
/// (0.001, 0.01, 0.1, 1, …). Tick values and labels are computed from integers, so a label never
/// shows rounding noise such as `0.30000000000000004`.
public enum PlotAxis {
  /// A tick step `mantissa · 10^exponent` with `mantissa` in {1, 2, 5}.
  public struct Step: Sendable, Equatable {
    /// 1, 2 or 5.
    public var mantissa: Int
    /// The power of ten.
    public var exponent: Int

    /// The step in data units.
    public var value: Double { PlotAxis.scaled(mantissa, exponent) }

    /// The value of tick number `index` (`index · step`), rounded once from exact integers.
    public func tick(_ index: Int) -> Double { PlotAxis.scaled(index * mantissa, exponent) }

    /// The label of tick number `index`, with as many decimals as the step needs (all ticks of an
    /// axis get the same number), or in `1e-6` notation for very small or large steps.
    public func label(_ index: Int) -> String {
      PlotAxis.decimalText(index * mantissa, exponent, fixedDecimals: -exponent)
    }
  }

  /// The nice step giving about `targetCount` intervals over `span`:
  /// `raw = span / targetCount`, then the first of 1, 2, 5, 10 × 10^⌊log₁₀ raw⌋ at least about `raw`.
  public static func niceStep(span: Double, targetCount: Int = 6) -> Step {
    guard span.isFinite, span > 0, targetCount > 0 else { return Step(mantissa: 1, exponent: 0) }
    let raw = span / Double(targetCount)
    var exponent = Int(Foundation.floor(Foundation.log10(raw)))
    let residual = raw / scaled(1, exponent)
    let mantissa: Int
    switch residual {
    case ..<1.5: mantissa = 1
    case ..<3: mantissa = 2
    case ..<7: mantissa = 5
    default:
      mantissa = 1
      exponent += 1
    }
    return Step(mantissa: mantissa, exponent: exponent)
  }

  /// The nice ticks inside `lower…upper` (see `niceStep`). Empty for a non-finite or empty range.
  public static func niceTicks(from lower: Double, to upper: Double, targetCount: Int = 6)
    -> [PlotTick]
  {
    guard lower.isFinite, upper.isFinite, upper > lower else { return [] }
    let step = niceStep(span: upper - lower, targetCount: targetCount)
    // A little tolerance so a tick computed as 0.6000000000000001 still counts as inside 0…0.6.
    let tolerance = step.value * 1e-9
    let first = Foundation.ceil((lower - tolerance) / step.value)
    let last = Foundation.floor((upper + tolerance) / step.value)
    // Refuse what cannot be counted in an Int (extreme ranges) or would crowd the axis.
    guard first.isFinite, last.isFinite, Swift.abs(first) < 1e15, Swift.abs(last) < 1e15,
      first <= last, last - first <= 1000
    else { return [] }
    return (Int(first)...Int(last)).map { PlotTick(value: step.tick($0), label: step.label($0)) }
  }

  /// Decade ticks `10^k` inside `lower…upper` (both positive); when there are more than
  /// `maximumCount`, every second (or third, …) decade. When the range holds fewer than two decades,
  /// 1-2-5 ticks (`0.2, 0.5, 1, 2, …`) instead, so the axis is never unlabelled.
  public static func decadeTicks(from lower: Double, to upper: Double, maximumCount: Int = 9)
    -> [PlotTick]
  {
    guard lower.isFinite, upper.isFinite, lower > 0, upper > lower else { return [] }
    let tolerance = 1e-9
    let first = Int(Foundation.ceil(Foundation.log10(lower) - tolerance))
    let last = Int(Foundation.floor(Foundation.log10(upper) + tolerance))
    if last - first + 1 >= 2 {
      let stride = Swift.max(1, (last - first + maximumCount) / maximumCount)
      return Swift.stride(from: first, through: last, by: stride).map { k in
        PlotTick(value: scaled(1, k), label: decadeLabel(k))
      }
    }
    var ticks: [PlotTick] = []
    for k in (first - 1)...(last + 1) {
      for mantissa in [1, 2, 5] {
        let value = scaled(mantissa, k)
        if value >= lower * (1 - tolerance) && value <= upper * (1 + tolerance) {
          ticks.append(PlotTick(value: value, label: decimalText(mantissa, k, fixedDecimals: -k)))
        }
      }
    }
    return ticks
  }

  /// The unlabelled minor marks of a log axis: 2·10^k … 9·10^k inside `lower…upper`, for light grid
  /// lines. Empty when the range spans more than `maximumDecades` decades (they would crowd).
  public static func minorDecadeMarks(from lower: Double, to upper: Double, maximumDecades: Int = 6)
    -> [Double]
  {
    guard lower.isFinite, upper.isFinite, lower > 0, upper > lower else { return [] }
    let first = Int(Foundation.floor(Foundation.log10(lower)))
    let last = Int(Foundation.floor(Foundation.log10(upper)))
    guard last - first <= maximumDecades else { return [] }
    return (first...last).flatMap { k in (2...9).map { scaled($0, k) } }.filter {
      $0 >= lower && $0 <= upper
    }
  }

  /// The label of the decade `10^k`: plain for 0.001 … 1000, else `1e-6`, `1e6`.
  public static func decadeLabel(_ k: Int) -> String {
    (-3...3).contains(k) ? decimalText(1, k, fixedDecimals: Swift.max(0, -k)) : "1e\(k)"
  }

  /// `n · 10^exponent`, computed so that it is the correctly rounded `Double` for moderate exponents.
  static func scaled(_ n: Int, _ exponent: Int) -> Double {
    let power = Foundation.pow(10, Double(Swift.abs(exponent)))
    return exponent >= 0 ? Double(n) * power : Double(n) / power
  }

  /// The decimal text of `n · 10^exponent` with `fixedDecimals` digits after the point (for
  /// `fixedDecimals` ≤ 0, none); in `me±k` notation when the decimals would exceed 5 or the value
  /// needs more than 6 zeros.
  static func decimalText(_ n: Int, _ exponent: Int, fixedDecimals: Int) -> String {
    if n == 0 {
      return "0" + (fixedDecimals > 0 && fixedDecimals <= 5 ? "." + zeros(fixedDecimals) : "")
    }
    if fixedDecimals > 5 || exponent > 5 {
      // Scientific, one digit before the point: 15·10⁻⁷ → 1.5e-6, 20·10⁻⁷ → 2e-6.
      var (digits, power) = (Swift.abs(n), exponent)
      while digits % 10 == 0 {
        digits /= 10
        power += 1
      }
      let text = String(digits)
      power += text.count - 1
      let mantissa =
        text.count == 1 ? text : String(text.prefix(1)) + "." + String(text.dropFirst())
      return (n < 0 ? "-" : "") + mantissa + "e\(power)"
    }
    let sign = n < 0 ? "-" : ""
    var digits = String(Swift.abs(n))
    if exponent >= 0 { digits += zeros(exponent) }
    let decimals = Swift.max(0, fixedDecimals)
    // Place the decimal point `-exponent` digits from the right, then pad to `decimals` digits.
    let pointPosition = Swift.max(0, -exponent)
    if digits.count <= pointPosition { digits = zeros(pointPosition - digits.count + 1) + digits }
    var integerPart = String(digits.dropLast(pointPosition))
    var fraction = String(digits.suffix(pointPosition))
    if integerPart.isEmpty { integerPart = "0" }
    while fraction.count > decimals, fraction.hasSuffix("0") { fraction.removeLast() }
    while fraction.count < decimals { fraction += "0" }
    return sign + integerPart + (fraction.isEmpty ? "" : "." + fraction)
  }

  private static func zeros(_ count: Int) -> String { String(repeating: "0", count: count) }
}

/// A map from data values to pixels along one axis, linear or logarithmic:
/// `pixel = start + (f(value) − f(lower)) / (f(upper) − f(lower)) · (end − start)` with `f` the
/// identity or `log₁₀`.
public struct PlotScale: Sendable, Equatable {
  /// The smallest data value shown.
  public var lower: Double
  /// The largest data value shown.
  public var upper: Double
  /// The pixel position of `lower` (for a y axis, the bottom of the plot area).
  public var start: Double
  /// The pixel position of `upper` (for a y axis, the top of the plot area).
  public var end: Double
  /// Whether the axis is logarithmic (then `lower` > 0).
  public var isLogarithmic: Bool

  /// A scale mapping `lower…upper` onto `start…end`.
  public init(lower: Double, upper: Double, start: Double, end: Double, isLogarithmic: Bool = false)
  {
    self.lower = lower
    self.upper = upper
    self.start = start
    self.end = end
    self.isLogarithmic = isLogarithmic
  }

  /// The pixel position of `value`; `nil` if it cannot be shown (NaN, infinite, or ≤ 0 on a log
  /// axis).
  public func pixel(_ value: Double) -> Double? {
    guard value.isFinite, !isLogarithmic || value > 0 else { return nil }
    let f: (Double) -> Double = isLogarithmic ? { Foundation.log10($0) } : { $0 }
    let span = f(upper) - f(lower)
    let position = span == 0 ? 0.5 : (f(value) - f(lower)) / span
    let result = start + position * (end - start)
    return result.isFinite ? result : nil
  }

  /// The ticks of this axis: decades on a log axis, 1-2-5 steps on a linear one.
  public func ticks(targetCount: Int = 6) -> [PlotTick] {
    isLogarithmic
      ? PlotAxis.decadeTicks(from: lower, to: upper)
      : PlotAxis.niceTicks(from: lower, to: upper, targetCount: targetCount)
  }

  /// The data range to show for `values`: their minimum and maximum, widened by `padding` of the
  /// span on each side (in log space on a log axis), or a unit range around a single value.
  /// `nil` when no value can be shown.
  public static func range(
    of values: [Double], logarithmic: Bool, padding: Double = 0.05
  ) -> (lower: Double, upper: Double)? {
    let usable = values.filter { $0.isFinite && (!logarithmic || $0 > 0) }
    guard var low = usable.min(), var high = usable.max() else { return nil }
    if logarithmic {
      var (a, b) = (Foundation.log10(low), Foundation.log10(high))
      if a == b { (a, b) = (a - 0.5, b + 0.5) }
      let pad = (b - a) * padding
      return (Foundation.pow(10, a - pad), Foundation.pow(10, b + pad))
    }
    if low == high {
      let half = low == 0 ? 1 : Swift.abs(low) * 0.1
      (low, high) = (low - half, high + half)
    }
    let span = high - low
    // Values near ±greatestFiniteMagnitude: no room to widen the range.
    guard span.isFinite else { return (low, high) }
    return (low - span * padding, high + span * padding)
  }
}
