/* problem.h - what `sanctionsim solve` reads: a bargaining scenario, a
 * normal-form game (`game = { ... }` in a libconfig file, or a Gambit .nfg
 * file), or a textbook Nash bargaining problem (`nash = { ... }`). */
#ifndef SIM_PROBLEM_H
#define SIM_PROBLEM_H

#include "error.h"
#include "nfg.h"
#include "scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum sim_problem_kind {
    SIM_PROBLEM_SCENARIO, /* a bargaining scenario: load with
                             sim_scenario_load */
    SIM_PROBLEM_GAME,     /* a normal-form game, in `game` */
    SIM_PROBLEM_NASH      /* u1 = x^a1, u2 = (1 - x)^a2, power b */
} sim_problem_kind;

typedef struct sim_problem {
    sim_problem_kind kind;
    char name[SIM_NAME_MAX];
    sim_nfg game; /* SIM_PROBLEM_GAME: owned, free with sim_problem_free */
    struct {
        double a1, a2, power;
    } nash;
} sim_problem;

/* Reads path: a `.nfg` file is a Gambit game; a libconfig file with a
 * top-level `game` or `nash` group is a game or a Nash problem (with the
 * --set overrides applied, checked like a scenario's keys); any other file
 * is reported as SIM_PROBLEM_SCENARIO without being read further. Errors
 * name the file, line and key (SIM_E_SCENARIO). */
int sim_problem_load(sim_problem *p, const char *path,
                     const char *const *sets, int nsets, sim_err *err);

/* Same from text (tests, fuzzing); `label` stands for the file name. */
int sim_problem_load_string(sim_problem *p, const char *text,
                            const char *label, const char *const *sets,
                            int nsets, sim_err *err);

void sim_problem_free(sim_problem *p);

#ifdef __cplusplus
}
#endif

#endif
