// Decimal: exact money arithmetic for amounts that arrive as decimal strings from AWS.
//
// Cost Explorer sends "0.2672917174"; adding thousands of those in double drifts by cents, and
// an alarm that fires at 9.999999 instead of 10 is a bug report. A Decimal is an integer
// coefficient and a count of decimal places (value = coefficient / 10^scale), so sums,
// differences and products are exact. Bookworm packages no decimal library (mpdecimal is not in
// Debian 12), and 128 bits cover every bill: Parse() accepts up to kMaxScale places and
// magnitudes below 10^kMaxIntegerDigits, which leaves room for millions of additions.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.h"

namespace costwatch {

// GCC's 128-bit integer; __extension__ keeps -pedantic quiet about it.
__extension__ typedef __int128 DecimalCoefficient;

class Decimal {
 public:
  static constexpr int kMaxScale = 20;
  static constexpr int kMaxIntegerDigits = 15;

  Decimal() = default;  // zero
  static Decimal FromInteger(std::int64_t value);

  // "12", "-0.0000001", "1.5E-7", "+3.25": the forms AWS and config files use. `what` names the
  // value in the error ("amortizedCost of 2023-01-27"), which never quotes more than the text.
  static Result<Decimal> Parse(std::string_view text, std::string_view what = "amount");

  friend Decimal operator+(const Decimal& a, const Decimal& b);
  friend Decimal operator-(const Decimal& a, const Decimal& b);
  friend Decimal operator*(const Decimal& a, const Decimal& b);
  Decimal& operator+=(const Decimal& other) { return *this = *this + other; }
  Decimal& operator-=(const Decimal& other) { return *this = *this - other; }
  Decimal operator-() const;

  friend bool operator==(const Decimal& a, const Decimal& b);
  friend std::strong_ordering operator<=>(const Decimal& a, const Decimal& b);

  [[nodiscard]] bool is_zero() const { return coefficient_ == 0; }
  [[nodiscard]] bool is_negative() const { return coefficient_ < 0; }
  [[nodiscard]] int scale() const { return scale_; }

  // this / divisor rounded half away from zero to `places` decimals; divisor must not be zero.
  [[nodiscard]] Decimal DividedBy(const Decimal& divisor, int places) const;
  // Rounded half away from zero to `places` decimals (what an invoice does to cents).
  [[nodiscard]] Decimal Rounded(int places) const;

  // Plain notation with every place kept: "0.30", "-0.0000001", "12". Never an exponent.
  [[nodiscard]] std::string ToString() const;
  // Plain notation, trailing zeros after the point removed: "0.3", "12".
  [[nodiscard]] std::string ToShortString() const;
  // Rounded half away from zero to exactly `places` decimals: ToFixed(2) of 12.4 is "12.40".
  [[nodiscard]] std::string ToFixed(int places) const;

 private:
  Decimal(DecimalCoefficient coefficient, int scale) : coefficient_(coefficient), scale_(scale) {}
  [[nodiscard]] DecimalCoefficient ScaledTo(int scale) const;

  DecimalCoefficient coefficient_ = 0;
  int scale_ = 0;
};

}  // namespace costwatch
