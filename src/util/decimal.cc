#include "util/decimal.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace costwatch {
namespace {

using Int = DecimalCoefficient;

Int Pow10(int exponent) {
  Int value = 1;
  for (int i = 0; i < exponent; ++i) value *= 10;
  return value;
}

// Values from Parse() stay far below 2^127 through any realistic bill, so an overflow is a bug
// (or an absurd input that Parse() should have refused): stop rather than report a wrong sum.
[[noreturn]] void Overflow(const char* operation) {
  (void)std::fprintf(stderr, "costwatch: internal error: decimal overflow in %s\n", operation);
  std::abort();
}

Int Checked(Int a, Int b, char op) {
  Int result = 0;
  const bool overflow = op == '+'   ? __builtin_add_overflow(a, b, &result)
                        : op == '-' ? __builtin_sub_overflow(a, b, &result)
                                    : __builtin_mul_overflow(a, b, &result);
  if (overflow) Overflow(op == '+' ? "addition" : op == '-' ? "subtraction" : "multiplication");
  return result;
}

// Divides, rounding half away from zero.
Int DivideRounded(Int numerator, Int denominator) {
  const bool negative = (numerator < 0) != (denominator < 0);
  const Int n = numerator < 0 ? -numerator : numerator;
  const Int d = denominator < 0 ? -denominator : denominator;
  Int quotient = n / d;
  if ((n % d) * 2 >= d) ++quotient;
  return negative ? -quotient : quotient;
}

std::string Digits(Int magnitude) {
  std::string digits;
  do {
    digits.push_back(static_cast<char>('0' + static_cast<int>(magnitude % 10)));
    magnitude /= 10;
  } while (magnitude != 0);
  std::reverse(digits.begin(), digits.end());
  return digits;
}

}  // namespace

Decimal Decimal::FromInteger(std::int64_t value) {
  return {value, 0};
}

Result<Decimal> Decimal::Parse(std::string_view text, std::string_view what) {
  const std::string shown =
      text.size() > 40 ? std::string(text.substr(0, 40)) + "..." : std::string(text);
  const auto bad = [&](std::string_view why) {
    return Fail(std::string(what) + " \"" + shown + "\" is not a decimal number" +
                (why.empty() ? "" : std::string(" (") + std::string(why) + ")"));
  };
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  Int coefficient = 0;
  int scale = 0;
  int significant = 0;  // digits kept in the coefficient, leading zeros excluded
  bool any_digit = false;
  bool after_point = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.' && !after_point) {
      after_point = true;
      continue;
    }
    if (c < '0' || c > '9') break;
    any_digit = true;
    if (coefficient != 0 || c != '0') ++significant;
    if (significant > kMaxIntegerDigits + kMaxScale) return bad("too many digits");
    coefficient = coefficient * 10 + (c - '0');
    if (after_point) ++scale;
  }
  if (!any_digit) return bad("");
  int exponent = 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exponent_negative = false;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) exponent_negative = text[i++] == '-';
    if (i == text.size()) return bad("exponent without digits");
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      exponent = exponent * 10 + (text[i] - '0');
      if (exponent > 1000) return bad("exponent out of range");
    }
    if (exponent_negative) exponent = -exponent;
  }
  if (i != text.size()) return bad("");
  scale -= exponent;
  if (scale < 0) {
    if (significant - scale > kMaxIntegerDigits + kMaxScale) return bad("out of range");
    coefficient *= Pow10(-scale);
    scale = 0;
  }
  // Trailing zeros beyond the supported places carry no value; anything else would be lost.
  while (scale > kMaxScale && coefficient % 10 == 0) {
    coefficient /= 10;
    --scale;
  }
  if (scale > kMaxScale) return bad("more than 20 decimal places");
  if (coefficient / Pow10(scale) >= Pow10(kMaxIntegerDigits)) return bad("out of range");
  return Decimal(negative ? -coefficient : coefficient, scale);
}

Int Decimal::ScaledTo(int scale) const {
  return scale <= scale_ ? coefficient_ : Checked(coefficient_, Pow10(scale - scale_), '*');
}

Decimal operator+(const Decimal& a, const Decimal& b) {
  const int scale = std::max(a.scale_, b.scale_);
  return {Checked(a.ScaledTo(scale), b.ScaledTo(scale), '+'), scale};
}

Decimal operator-(const Decimal& a, const Decimal& b) {
  const int scale = std::max(a.scale_, b.scale_);
  return {Checked(a.ScaledTo(scale), b.ScaledTo(scale), '-'), scale};
}

Decimal operator*(const Decimal& a, const Decimal& b) {
  Decimal product(Checked(a.coefficient_, b.coefficient_, '*'), a.scale_ + b.scale_);
  return product.scale_ > Decimal::kMaxScale ? product.Rounded(Decimal::kMaxScale) : product;
}

Decimal Decimal::operator-() const {
  return {-coefficient_, scale_};
}

bool operator==(const Decimal& a, const Decimal& b) {
  return std::is_eq(a <=> b);
}

std::strong_ordering operator<=>(const Decimal& a, const Decimal& b) {
  const int scale = std::max(a.scale_, b.scale_);
  const Int x = a.ScaledTo(scale);
  const Int y = b.ScaledTo(scale);
  return x < y ? std::strong_ordering::less
               : (x > y ? std::strong_ordering::greater : std::strong_ordering::equal);
}

Decimal Decimal::Rounded(int places) const {
  if (places >= scale_) return *this;
  return {DivideRounded(coefficient_, Pow10(scale_ - places)), places};
}

Decimal Decimal::DividedBy(const Decimal& divisor, int places) const {
  if (divisor.coefficient_ == 0) Overflow("division by zero");
  // (c1 / 10^s1) / (c2 / 10^s2) = c1 * 10^(places + s2 - s1) / c2, in units of 10^-places.
  const int shift = places + divisor.scale_ - scale_;
  Int numerator = coefficient_;
  Int denominator = divisor.coefficient_;
  if (shift >= 0) {
    numerator = Checked(numerator, Pow10(shift), '*');
  } else {
    denominator = Checked(denominator, Pow10(-shift), '*');
  }
  return {DivideRounded(numerator, denominator), places};
}

std::string Decimal::ToString() const {
  const Int magnitude = coefficient_ < 0 ? -coefficient_ : coefficient_;
  std::string digits = Digits(magnitude);
  if (scale_ > 0) {
    if (static_cast<int>(digits.size()) <= scale_) {
      digits.insert(0, static_cast<size_t>(scale_) + 1 - digits.size(), '0');
    }
    digits.insert(digits.size() - static_cast<size_t>(scale_), 1, '.');
  }
  return coefficient_ < 0 ? "-" + digits : digits;
}

std::string Decimal::ToFixed(int places) const {
  const Decimal rounded = Rounded(places);
  std::string text = rounded.ToString();
  if (rounded.scale_ >= places || places <= 0) return text;
  if (rounded.scale_ == 0) text += '.';
  text.append(static_cast<size_t>(places - rounded.scale_), '0');
  return text;
}

std::string Decimal::ToShortString() const {
  std::string text = ToString();
  if (text.find('.') == std::string::npos) return text;
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text == "-0" ? "0" : text;
}

}  // namespace costwatch
