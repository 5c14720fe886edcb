// AWS Signature Version 4 for requests signed in the Authorization header.
//
// Checked against the AWS SigV4 test suite, its aws-c-auth restructuring and requests signed by
// botocore (tests/aws/sigv4_test.cc). Presigned URLs (signature in the query) are not
// implemented; costwatch never hands a signed URL to anyone.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "aws/credentials.h"
#include "http/http.h"
#include "util/result.h"

namespace costwatch::aws {

struct SigningScope {
  std::string region;   // e.g. "us-east-1"
  std::string service;  // the signing name, e.g. "ce", "monitoring", "sns", "sts"
};

struct SigV4Options {
  // Remove "." and ".." segments and empty segments from the path before encoding it. Every
  // service but S3 expects this.
  bool normalize_path = true;
  // URI-encode the path as it appears in the URL, so an already-encoded "%20" is signed as
  // "%2520". Every service but S3 expects this; with false, the path is decoded and encoded
  // once.
  bool double_encode_path = true;
  // With false, X-Amz-Security-Token is added after signing and left out of the signature, as a
  // few services require (the suite's post-sts-header-after).
  bool sign_session_token = true;
  // Also send and sign the payload hash as X-Amz-Content-Sha256 (S3 requires it; other services
  // accept it).
  bool add_content_sha256_header = false;
};

class SigV4Signer {
 public:
  explicit SigV4Signer(SigningScope scope, SigV4Options options = {});

  // Signs request in place: sets Host (from the URL, when absent), X-Amz-Date,
  // X-Amz-Security-Token (when credentials carry a session token), X-Amz-Content-Sha256 (when
  // the option asks for it) and Authorization, replacing any earlier values of these. On an
  // Error the request is left unchanged. Errors never contain the secret key.
  Result<void> sign(http::Request& request, const Credentials& credentials,
                    std::chrono::system_clock::time_point now) const;

  // The canonical request over the headers the request carries now. Every header is signed
  // except user-agent, expect, x-amzn-trace-id, authorization and hop-by-hop headers (kNotSigned
  // in sigv4.cc says why), and x-amz-security-token when sign_session_token is false. Host is
  // derived from the URL when absent. For a request sign() returned, this is exactly what was
  // signed, so a debug flag can print it.
  [[nodiscard]] Result<std::string> canonical_request(const http::Request& request) const;

  // amz_date is the X-Amz-Date value, "YYYYMMDDTHHMMSSZ".
  [[nodiscard]] std::string string_to_sign(std::string_view canonical_request,
                                           std::string_view amz_date) const;

  // "YYYYMMDDTHHMMSSZ" in UTC.
  [[nodiscard]] static std::string FormatAmzDate(std::chrono::system_clock::time_point t);

 private:
  [[nodiscard]] std::string credential_scope(std::string_view date) const;

  SigningScope scope_;
  SigV4Options options_;
};

}  // namespace costwatch::aws
