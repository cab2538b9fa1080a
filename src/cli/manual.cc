#include "cli/manual.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>
#include <vector>

namespace irk::cli {
namespace {

std::vector<const CLI::App*> Commands(const CLI::App& app) {
  return app.get_subcommands([](const CLI::App* sub) { return !sub->get_disabled(); });
}

bool TakesValue(const CLI::Option& option) { return option.get_items_expected_max() > 0; }

// CLI11 appends validator names ("DIR:DIR"); the first word is the value's name.
std::string ValueName(const CLI::Option& option) {
  std::string name = option.get_type_name();
  name = name.substr(0, name.find(':'));
  return name.empty() ? "VALUE" : name;
}

std::vector<const CLI::Option*> Options(const CLI::App& app) {
  return app.get_options([&app](const CLI::Option* option) {
    return option->nonpositional() && option != app.get_help_ptr();
  });
}

std::vector<const CLI::Option*> Positionals(const CLI::App& app) {
  return app.get_options([](const CLI::Option* option) { return !option->nonpositional(); });
}

std::vector<std::string> OptionWords(const CLI::Option& option) {
  std::vector<std::string> words;
  for (const auto& name : option.get_snames()) words.push_back("-" + name);
  for (const auto& name : option.get_lnames()) words.push_back("--" + name);
  return words;
}

// Roff input is ASCII: any other character is written as \[uXXXX].
void AppendRoffCharacter(std::string& out, std::string_view text, size_t& i) {
  const auto byte = static_cast<unsigned char>(text[i]);
  const size_t length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1;
  if (length == 1 || i + length > text.size()) {
    out += byte < 0x80 ? std::string(1, text[i]) : "?";
    return;
  }
  uint32_t code = byte & (0x3F >> (length - 1));
  for (size_t k = 1; k < length; ++k) code = (code << 6) | (text[i + k] & 0x3F);
  char escape[16];
  std::snprintf(escape, sizeof escape, "\\[u%04X]", code);
  out += escape;
  i += length - 1;
}

// Roff: a backslash is \e; a line may not start with a control character.
std::string RoffText(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\') {
      out += "\\e";
    } else {
      AppendRoffCharacter(out, text, i);
    }
  }
  if (!out.empty() && (out.front() == '.' || out.front() == '\'')) out.insert(0, "\\&");
  return out;
}

// Option names and command words, where a hyphen is a minus sign.
std::string RoffWord(std::string_view word) {
  std::string out;
  for (char c : word) {
    if (c == '-') {
      out += "\\-";
    } else if (c == '\\') {
      out += "\\e";
    } else {
      out += c;
    }
  }
  return out;
}

// The long help is written for a terminal: paragraphs split by blank lines,
// lists and examples indented. Indented lines keep their layout; the rest
// is filled by the formatter.
void WriteProse(std::ostringstream& out, std::string_view text) {
  std::istringstream lines{std::string(text)};
  std::string line;
  bool verbatim = false;
  bool paragraph_open = false;
  while (std::getline(lines, line)) {
    const bool blank = line.find_first_not_of(' ') == std::string::npos;
    const bool indented = !blank && line.front() == ' ';
    if (blank) {
      if (verbatim) out << ".fi\n";
      verbatim = false;
      paragraph_open = false;
      continue;
    }
    if (!paragraph_open) {
      out << ".PP\n";
      paragraph_open = true;
    }
    if (indented && !verbatim) {
      out << ".nf\n";
      verbatim = true;
    } else if (!indented && verbatim) {
      out << ".fi\n";
      verbatim = false;
    }
    out << RoffText(line) << "\n";
  }
  if (verbatim) out << ".fi\n";
}

void WriteOptions(std::ostringstream& out, const CLI::App& app) {
  for (const CLI::Option* option : Positionals(app)) {
    out << ".TP\n.I " << RoffWord(option->get_name()) << "\n"
        << RoffText(option->get_description()) << "\n";
  }
  for (const CLI::Option* option : Options(app)) {
    std::string names;
    for (const auto& word : OptionWords(*option)) {
      names += (names.empty() ? "" : ", ") + std::string("\\fB") + RoffWord(word) + "\\fR";
    }
    if (TakesValue(*option)) names += " \\fI" + RoffWord(ValueName(*option)) + "\\fR";
    std::string description = option->get_description();
    if (!option->get_default_str().empty()) {
      description += " (default: " + option->get_default_str() + ")";
    }
    if (!option->get_envname().empty())
      description += " (environment: " + option->get_envname() + ")";
    out << ".TP\n" << names << "\n" << RoffText(description) << "\n";
  }
}

std::string Usage(const std::string& path, const CLI::App& app) {
  std::string usage = "\\fBirk " + RoffWord(path) + "\\fR";
  if (!Options(app).empty()) usage += " [\\fIOPTIONS\\fR]";
  if (!Commands(app).empty()) usage += " \\fICOMMAND\\fR";
  for (const CLI::Option* option : Positionals(app)) {
    const bool many = option->get_items_expected_max() > 1;
    std::string word = "\\fI" + RoffWord(option->get_name()) + "\\fR" + (many ? "..." : "");
    usage += option->get_required() ? " " + word : " [" + word + "]";
  }
  return usage;
}

void WriteCommand(std::ostringstream& out, const std::string& path, const CLI::App& command) {
  out << ".SS \"" << RoffWord(path) << "\"\n";
  out << Usage(path, command) << "\n.PP\n" << RoffText(command.get_description()) << "\n";
  WriteOptions(out, command);
  // Subcommands inherit the top-level footer; print only their own.
  const std::string footer = command.get_footer();
  bool inherited = false;
  for (const CLI::App* up = command.get_parent(); up != nullptr; up = up->get_parent()) {
    inherited = inherited || up->get_footer() == footer;
  }
  if (!footer.empty() && !inherited) WriteProse(out, footer);
  for (const CLI::App* sub : Commands(command))
    WriteCommand(out, path + " " + sub->get_name(), *sub);
}

void CollectEnvironment(const CLI::App& app, std::map<std::string, std::string>& found) {
  for (const CLI::Option* option : Options(app)) {
    if (!option->get_envname().empty()) {
      found[option->get_envname()] =
          "Default for " + OptionWords(*option).back() + ": " + option->get_description();
    }
  }
  for (const CLI::App* sub : Commands(app)) CollectEnvironment(*sub, found);
}

}  // namespace

std::string ManPage(const CLI::App& app, std::string_view version) {
  std::ostringstream out;
  out << ".TH IRK 1 \"\" \"irk " << RoffText(version) << "\" \"User Commands\"\n";
  out << ".SH NAME\nirk \\- the intrusion response kit\n";
  out << ".SH SYNOPSIS\n\\fBirk\\fR [\\fIGLOBAL OPTIONS\\fR] \\fICOMMAND\\fR [\\fIOPTIONS\\fR] "
         "[\\fIARGUMENTS\\fR]\n";
  out << ".SH DESCRIPTION\n" << RoffText(app.get_description()) << "\n";
  WriteProse(out, app.get_footer());
  out << ".SH GLOBAL OPTIONS\nThese go before or after the command.\n";
  WriteOptions(out, app);
  out << ".SH COMMANDS\n";
  for (const CLI::App* command : Commands(app)) WriteCommand(out, command->get_name(), *command);

  std::map<std::string, std::string> environment{
      {"NO_COLOR", "When set and not empty: no colour, as --no-color"}};
  CollectEnvironment(app, environment);
  out << ".SH ENVIRONMENT\n";
  for (const auto& [name, meaning] : environment) {
    out << ".TP\n.B " << RoffWord(name) << "\n" << RoffText(meaning) << "\n";
  }
  out << ".SH FILES\n"
         ".TP\n.I /etc/irk/irk.toml\n"
         "Settings (TOML). Refused when others can write it.\n"
         ".TP\n.I /var/lib/irk\n"
         "The default case folder: case.db (the journal and what irk learned) and the evidence "
         "it moved aside.\n";
  out << ".SH SEE ALSO\n"
         ".BR sshd (8),\n.BR nft (8),\n.BR last (1),\n.BR journalctl (1)\n";
  return out.str();
}

namespace {

// Bash single-quoted word.
std::string Quoted(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string Joined(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& word : words) out += (out.empty() ? "" : " ") + word;
  return out;
}

// What a value is completed with: directories, files, users, or nothing.
std::string CompletionKind(std::string_view name) {
  std::string upper(name);
  std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
  if (upper == "DIR") return "dir";
  if (upper.ends_with("FILE") || upper.starts_with("PATH") || upper == "FILES") return "file";
  if (upper == "USER" || upper == "TARGET") return "user";
  if (upper == "COMMAND") return "command";
  return "none";
}

struct CompletionTables {
  std::vector<std::pair<std::string, std::string>> options;    // path → option words
  std::vector<std::pair<std::string, std::string>> commands;   // path → command words
  std::vector<std::pair<std::string, std::string>> values;     // "path|--option" → kind
  std::vector<std::pair<std::string, std::string>> arguments;  // path → kind
};

void Collect(const CLI::App& app, const std::string& path,
             const std::vector<std::string>& inherited, CompletionTables& tables) {
  std::vector<std::string> words = inherited;
  for (const CLI::Option* option : Options(app)) {
    for (const auto& word : OptionWords(*option)) {
      words.push_back(word);
      if (TakesValue(*option)) {
        // Global options are valid after any command.
        const std::string pattern =
            path.empty() ? "*" + Quoted("|" + word) : Quoted(path + "|" + word);
        tables.values.emplace_back(pattern, CompletionKind(ValueName(*option)));
      }
    }
  }
  if (path.empty()) words.push_back("--help");  // every command has it
  tables.options.emplace_back(path, Joined(words));
  std::vector<std::string> names;
  for (const CLI::App* sub : Commands(app)) names.push_back(sub->get_name());
  if (!names.empty()) tables.commands.emplace_back(path, Joined(names));
  const auto positionals = Positionals(app);
  if (!positionals.empty()) {
    tables.arguments.emplace_back(path, CompletionKind(positionals.front()->get_name()));
  }
  // Only the global options are inherited: a command's own stay its own.
  const std::vector<std::string> passed = path.empty() ? words : inherited;
  for (const CLI::App* sub : Commands(app)) {
    Collect(*sub, path.empty() ? sub->get_name() : path + " " + sub->get_name(), passed, tables);
  }
}

void WriteCase(std::ostringstream& out, const std::string& function,
               const std::vector<std::pair<std::string, std::string>>& rows, bool quote_pattern) {
  out << function << "() {\n  case \"$1\" in\n";
  for (const auto& [pattern, value] : rows) {
    out << "    " << (quote_pattern ? Quoted(pattern) : pattern) << ") echo " << Quoted(value)
        << " ;;\n";
  }
  out << "    *) return 1 ;;\n  esac\n}\n";
}

}  // namespace

std::string BashCompletion(const CLI::App& app) {
  CompletionTables tables;
  Collect(app, "", {}, tables);
  std::ostringstream out;
  out << "# bash completion for irk, written by `irk help --bash-completion`.\n";
  WriteCase(out, "_irk_options", tables.options, true);
  WriteCase(out, "_irk_commands", tables.commands, true);
  WriteCase(out, "_irk_value", tables.values, false);
  WriteCase(out, "_irk_argument", tables.arguments, true);
  out << R"bash(_irk() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev= path= word i skip=0 kind words
  (( COMP_CWORD > 0 )) && prev=${COMP_WORDS[COMP_CWORD-1]}
  for (( i = 1; i < COMP_CWORD; i++ )); do
    word=${COMP_WORDS[i]}
    if (( skip )); then skip=0; continue; fi
    if [[ $word == -* ]]; then
      [[ $word != *=* ]] && _irk_value "$path|$word" >/dev/null && skip=1
      continue
    fi
    words=$(_irk_commands "$path") || continue
    [[ " $words " == *" $word "* ]] && path=${path:+$path }$word
  done
  if kind=$(_irk_value "$path|$prev"); then
    case $kind in
      dir) COMPREPLY=($(compgen -d -- "$cur")) ;;
      file) COMPREPLY=($(compgen -f -- "$cur")) ;;
      user) COMPREPLY=($(compgen -u -- "$cur")) ;;
      *) COMPREPLY=() ;;
    esac
    return
  fi
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$(_irk_options "$path")" -- "$cur"))
    return
  fi
  if words=$(_irk_commands "$path"); then
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
    return
  fi
  case $(_irk_argument "$path") in
    user) COMPREPLY=($(compgen -u -- "$cur")) ;;
    command) COMPREPLY=($(compgen -W "$(_irk_commands "")" -- "$cur")) ;;
    dir) COMPREPLY=($(compgen -d -- "$cur")) ;;
    file) COMPREPLY=($(compgen -f -- "$cur")) ;;
    *) COMPREPLY=() ;;
  esac
}
complete -F _irk irk
)bash";
  return out.str();
}

}  // namespace irk::cli
