#include "analysis/hba_template.hpp"

#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <unordered_set>
#include <vector>

#include "analysis/hba_reach.hpp"
#include "model/config.hpp"

namespace pgl::analysis {

namespace {

std::optional<TemplateMatch> first_template(const model::Config& config, const std::string& path) {
  const core::SourceFile* src = config.sources.find(path);
  if (src == nullptr) {
    return std::nullopt;
  }
  TemplateDetectOptions opt;
  opt.quote = '"';
  for (auto& m : detect_templates(src->bytes(), opt)) {
    if (!m.in_comment) {
      return std::move(m);
    }
  }
  return std::nullopt;
}

std::shared_ptr<const HbaTemplate> search(const model::Config& config) {
  auto t = std::make_shared<HbaTemplate>();
  const model::HbaFile& hba = *config.hba;
  // The loaded files in first-use order; a set keeps this linear in the number of files (an
  // include_dir may hold 100,000 of them).
  std::vector<std::string> paths{hba.path};
  std::unordered_set<std::string> seen{hba.path};
  for (const auto& r : hba.records) {
    if (!r.file.empty() && r.file.str() != paths.back() && seen.insert(r.file.str()).second) {
      paths.push_back(r.file.str());
    }
  }
  for (const auto& p : paths) {
    if (auto m = first_template(config, p)) {
      t->match = std::move(m);
      t->file = p;
      break;
    }
  }
  return t;
}

struct Memo {
  std::mutex mutex;
  std::weak_ptr<const HbaReach> model;  // the loaded file the answer is for
  std::size_t records = 0;
  std::size_t sources = 0;
  std::shared_ptr<const HbaTemplate> answer;
};

}  // namespace

// From this many records, a search made while the first-match model is built runs on
// another thread (it reads only the records' file names and the files' bytes).
constexpr std::size_t k_search_aside_from = 10000;

std::shared_ptr<const HbaTemplate> hba_template(const model::Config& config) {
  if (!config.hba) {
    static const auto k_none = std::make_shared<const HbaTemplate>();
    return k_none;
  }
  std::shared_ptr<const HbaTemplate> searched;
  const bool model_built = config.hba_model && &config.hba_model->file() == &*config.hba;
  if (!model_built && config.hba->records.size() >= k_search_aside_from) {
    // A new model means a new answer: search meanwhile.
    std::exception_ptr failed;
    std::thread aside;
    try {
      aside = std::thread([&] {
        try {
          searched = search(config);
        } catch (...) {
          failed = std::current_exception();
        }
      });
    } catch (const std::system_error&) {  // NOLINT(bugprone-empty-catch): no thread to be had: searched below
    }
    try {
      (void)hba_model(config);
    } catch (...) {
      if (aside.joinable()) {
        aside.join();
      }
      throw;
    }
    if (aside.joinable()) {
      aside.join();
    }
    if (failed) {
      std::rethrow_exception(failed);
    }
  } else {
    (void)hba_model(config);
  }
  static Memo memo;
  const std::lock_guard<std::mutex> lock(memo.mutex);
  const auto model = memo.model.lock();
  if (!searched && memo.answer && model && model == config.hba_model && memo.records == config.hba->records.size() &&
      memo.sources == config.sources.size()) {
    return memo.answer;
  }
  memo.answer = searched ? std::move(searched) : search(config);
  memo.model = config.hba_model;
  memo.records = config.hba->records.size();
  memo.sources = config.sources.size();
  return memo.answer;
}

}  // namespace pgl::analysis
