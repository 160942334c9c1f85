/* report.h - `sanctionsim report`: a self-contained HTML briefing page of
 * result directories. */
#ifndef SIM_CLI_REPORT_H
#define SIM_CLI_REPORT_H

#include <sanctionsim/error.h>

/* The usage text of `sanctionsim report`. */
extern const char report_usage[];

/* Runs `sanctionsim report` with argv[0] == "report". */
int report_main(int argc, char **argv, sim_err *err);

#endif
