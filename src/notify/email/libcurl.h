// libcurl for the e-mail notifier's SMTP, opened at run time rather than linked. Everything else
// speaks HTTP through cpp-httplib; linking libcurl for e-mail alone would map its thirty
// libraries (GnuTLS, Kerberos, LDAP, SSH, RTMP, ...) into every costwatch process, 3.5 MB of an
// idle daemon's memory (bench/README.md), whether or not it ever sends an e-mail. Only a config
// with an e-mail notifier opens it, once, and it stays open for the life of the process.
#pragma once

#include <curl/curl.h>

#include "util/result.h"

namespace costwatch::notify {

// The libcurl functions the notifier calls, with the types <curl/curl.h> declares.
struct LibCurl {
  decltype(&curl_global_init) global_init = nullptr;
  decltype(&curl_easy_init) easy_init = nullptr;
  decltype(&curl_easy_setopt) easy_setopt = nullptr;
  decltype(&curl_easy_perform) easy_perform = nullptr;
  decltype(&curl_easy_getinfo) easy_getinfo = nullptr;
  decltype(&curl_easy_strerror) easy_strerror = nullptr;
  decltype(&curl_easy_cleanup) easy_cleanup = nullptr;
  decltype(&curl_slist_append) slist_append = nullptr;
  decltype(&curl_slist_free_all) slist_free_all = nullptr;
};

// Opens the shared library `soname` and finds every function, without initialising libcurl.
// Fails, naming the library and what is missing, when it cannot.
Result<LibCurl> OpenLibCurl(const char* soname);

// libcurl.so.4, opened and initialised (curl_global_init) once per process; later calls return
// the first outcome.
Result<const LibCurl*> SystemLibCurl();

}  // namespace costwatch::notify
