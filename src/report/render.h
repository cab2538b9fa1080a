// The incident report rendered for people and programs. Every string that
// came from the examined host is escaped for the target format; times are
// UTC, with the host's zone stated.
#pragma once

#include <string>
#include <string_view>

#include "report/model.h"

namespace irk::report {

// Host text as HTML or XML character data or a quoted attribute value:
// control characters (which XML 1.0 forbids even as references) and bad
// UTF-8 made visible as \xNN first, then & < > " ' replaced by references.
std::string EscapeMarkup(std::string_view text);

// Markdown (CommonMark): host text with its punctuation escaped, log lines
// in fences no line can close.
std::string RenderMarkdown(const Report& report);

// JSON lines, one object a line, each with "type": "report" (the summary and
// the chain check), then "source" (with its lines and contact), "account",
// "action", "finding", "restore".
std::string RenderJson(const Report& report);

// One self-contained HTML file: inline CSS and SVG, no scripts, nothing
// fetched; every host string escaped as HTML text or attribute.
std::string RenderHtml(const Report& report);

}  // namespace irk::report
