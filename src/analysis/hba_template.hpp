// The first unrendered template construct in the pg_hba.conf files of a configuration
// (the file itself and every file its records come from), found once per loaded file: every
// hba rule asks (a rule does not reason about a template), and scanning a large file once
// per rule costs more than the rules themselves.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "analysis/template_detect.hpp"

namespace pgl::model {
struct Config;
}  // namespace pgl::model

namespace pgl::analysis {

struct HbaTemplate {
  std::optional<TemplateMatch> match;  // the first construct outside a comment, if any
  std::string file;                    // the file it is in
};

// config.hba's first template construct (no match when pg_hba.conf was not read). The
// answer is kept for the model of config.hba (analysis::hba_model), which identifies the
// loaded file while it lives; asked again for the same file, it is not searched again.
[[nodiscard]] std::shared_ptr<const HbaTemplate> hba_template(const model::Config& config);

}  // namespace pgl::analysis
