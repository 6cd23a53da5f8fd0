#include "cli/cli.hpp"

int main(int argc, char** argv) {
  return pgl::cli::run(argc, argv);
}
