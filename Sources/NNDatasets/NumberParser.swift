#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What a cell of text holds, read as a number.
public enum ParsedNumber: Equatable, Sendable {
  /// A finite number.
  case value(Double)
  /// `nan`, `inf`, `infinity` (any case, any sign) or a number too large for a `Double`.
  case nonFinite
  /// Nothing but spaces.
  case empty
  /// Anything else: not a decimal number.
  case invalid
}

/// Reads decimal numbers straight from bytes, without making a `String` per cell.
///
/// Accepted syntax, with optional spaces or tabs around it: `[+|-] digits [. digits] [(e|E) [+|-] digits]`,
/// with at least one digit before or after the point (`5`, `-0.25`, `.5`, `3.`, `1e-3`).
///
/// Most numbers in data files have at most 15 significant digits and a small exponent; those are
/// converted exactly by Clinger's fast path, `value = m · 10^e` or `m / 10^−e` with `m < 2^53` and
/// `|e| ≤ 22`: both operands are exact doubles, so the one rounding of the product is the correct one.
/// Numbers with up to 19 significant digits and an exponent within ±40 go through the Eisel–Lemire
/// algorithm (see `eiselLemire`), also correctly rounded; every other number goes to the C library's
/// `strtod`.
public enum NumberParser {
  /// `10^0 … 10^22`, every one exactly representable as a `Double`.
  private static let powersOfTen: [Double] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17,
    1e18, 1e19, 1e20, 1e21, 1e22,
  ]

  /// Parses a string (convenience for options and tests).
  public static func parse(_ text: String) -> ParsedNumber {
    var text = text
    return text.withUTF8 { bytes in
      guard let base = bytes.baseAddress else { return .empty }
      return parse(base, from: 0, to: bytes.count)
    }
  }

  /// Parses the bytes `base[start..<end]`.
  public static func parse(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int)
    -> ParsedNumber
  {
    var i = start
    var e = end
    while i < e, base[i] == 0x20 || base[i] == 0x09 { i += 1 }
    while e > i, base[e - 1] == 0x20 || base[e - 1] == 0x09 { e -= 1 }
    if i == e { return .empty }
    let tokenStart = i
    var negative = false
    if base[i] == UInt8(ascii: "-") {
      negative = true
      i += 1
    } else if base[i] == UInt8(ascii: "+") {
      i += 1
    }
    // m · 10^exponent, keeping at most 19 significant digits in m (more would overflow UInt64).
    var mantissa: UInt64 = 0
    var significantDigits = 0
    var exponent = 0
    var sawDigit = false
    var dropped = false
    while i < e, base[i] &- 0x30 < 10 {
      let digit = UInt64(base[i] &- 0x30)
      sawDigit = true
      if significantDigits < 19 {
        mantissa = mantissa &* 10 &+ digit
        if mantissa != 0 { significantDigits += 1 }
      } else {
        exponent += 1
        dropped = dropped || digit != 0
      }
      i += 1
    }
    if i < e, base[i] == UInt8(ascii: ".") {
      i += 1
      while i < e, base[i] &- 0x30 < 10 {
        let digit = UInt64(base[i] &- 0x30)
        sawDigit = true
        if significantDigits < 19 {
          mantissa = mantissa &* 10 &+ digit
          exponent -= 1
          if mantissa != 0 { significantDigits += 1 }
        } else {
          dropped = dropped || digit != 0
        }
        i += 1
      }
    }
    guard sawDigit else { return nonFiniteOrInvalid(base, from: tokenStart, to: e) }
    if i < e, base[i] | 0x20 == UInt8(ascii: "e") {
      i += 1
      var exponentNegative = false
      if i < e, base[i] == UInt8(ascii: "-") {
        exponentNegative = true
        i += 1
      } else if i < e, base[i] == UInt8(ascii: "+") {
        i += 1
      }
      var written = 0
      var sawExponentDigit = false
      while i < e, base[i] &- 0x30 < 10 {
        if written < 100_000 { written = written * 10 + Int(base[i] &- 0x30) }
        sawExponentDigit = true
        i += 1
      }
      guard sawExponentDigit else { return .invalid }
      exponent += exponentNegative ? -written : written
    }
    guard i == e else { return .invalid }
    if mantissa == 0 { return .value(negative ? -0.0 : 0) }
    if !dropped, mantissa <= 1 << 53, exponent >= -22, exponent <= 22 {
      let m = Double(mantissa)
      let magnitude = exponent >= 0 ? m * powersOfTen[exponent] : m / powersOfTen[-exponent]
      return .value(negative ? -magnitude : magnitude)
    }
    if !dropped, NumberParser.powerOfFiveRange.contains(exponent),
      let value = eiselLemire(mantissa, exponent, negative: negative)
    {
      return .value(value)
    }
    return slowPath(base, from: tokenStart, to: e)
  }

  /// `strtod` on a NUL-terminated copy of the token (already checked to be a decimal number).
  private static func slowPath(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int)
    -> ParsedNumber
  {
    let length = end - start
    let value = withUnsafeTemporaryAllocation(of: CChar.self, capacity: length + 1) { buffer in
      for k in 0..<length { buffer[k] = CChar(bitPattern: base[start + k]) }
      buffer[length] = 0
      return strtod(buffer.baseAddress!, nil)
    }
    return value.isFinite ? .value(value) : .nonFinite
  }

  /// `.nonFinite` for `nan`, `inf` or `infinity` in any case with an optional sign, else `.invalid`.
  private static func nonFiniteOrInvalid(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int)
    -> ParsedNumber
  {
    var i = start
    if i < end, base[i] == UInt8(ascii: "-") || base[i] == UInt8(ascii: "+") { i += 1 }
    let length = end - i
    guard length == 3 || length == 8 else { return .invalid }
    var word = ""
    for k in i..<end { word.unicodeScalars.append(Unicode.Scalar(base[k] | 0x20)) }
    return word == "nan" || word == "inf" || word == "infinity" ? .nonFinite : .invalid
  }
}
