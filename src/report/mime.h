// The pieces of an RFC 5322 / MIME message irk writes: header values that no
// log text can break out of, and the two body encodings.
#pragma once

#include <string>
#include <string_view>

namespace irk::report {

// `text` as an unstructured header value (Subject:, a display name): plain
// when it is printable ASCII without runs that look like encoded words and
// short enough, else RFC 2047 "=?UTF-8?B?…?=" words, each under 76
// characters and never splitting a UTF-8 character, folded with CRLF SP.
// Invalid UTF-8 and control characters are first made visible as \xNN.
// The result never holds a bare CR or LF.
std::string EncodeHeaderText(std::string_view text);

// Base64 (RFC 2045) in lines of 76 characters, each ended by CRLF.
std::string Base64Lines(std::string_view bytes);

// Quoted-printable (RFC 2045) of text whose lines end in "\n": lines end in
// CRLF, '=' and bytes outside printable ASCII are =XX, trailing blanks
// encoded, soft breaks keep lines at most 76 characters.
std::string QuotedPrintable(std::string_view text);

// "Thu, 26 Nov 2026 14:00:00 +0000" (RFC 5322 date-time, UTC).
std::string MailDate(int64_t seconds);

}  // namespace irk::report
