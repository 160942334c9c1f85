/* lint.h - the warnings of `run`, `check` and `sweep` about values outside
 * their keys' sensible ranges (sim_scenario_lint), and `--strict`, which
 * makes them errors. */
#ifndef SIM_CLI_LINT_H
#define SIM_CLI_LINT_H

#include <stdbool.h>

#include <sanctionsim/error.h>
#include <sanctionsim/experiment.h>

/* Prints a warning ("sanctionsim: warning: <file:line>: <key>: ...") on
 * stderr for every value of the scenario at path (with the --set
 * overrides) outside its sensible range, unless quiet. Returns 0, or with
 * strict and at least one warning SIM_E_SCENARIO ("--strict makes these
 * warnings errors"; the warnings are printed even when quiet). */
int lint_scenario(const char *path, const char *const *sets, int nsets,
                  bool strict, bool quiet, sim_err *err);

/* The same for an experiment: its base scenario, and every factor whose
 * values reach outside its key's sensible range. */
int lint_experiment(const sim_experiment *e, bool strict, bool quiet,
                    sim_err *err);

#endif
