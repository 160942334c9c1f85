/* config_util_impl.h - private interface of the files in sim/ that read
 * libconfig files (scenario_load.c, problem_load.c): opening and parsing a
 * file or string, applying `--set KEY=VALUE`, and checking values against a
 * key table with messages that name the file, line and key. Only these
 * files include libconfig.h; values are copied out into plain structs and
 * the libconfig tree is destroyed before a loader returns. */
#ifndef SIM_CONFIG_UTIL_IMPL_H
#define SIM_CONFIG_UTIL_IMPL_H

#include <stdbool.h>
#include <stddef.h>

#include <libconfig.h>

#include <sanctionsim/error.h>
#include <sanctionsim/scenario.h>

/* Loading context: the label of the file (its path, or what stands for it)
 * and where errors go. */
typedef struct sim_loader {
    const char *file;
    sim_err *err;
} sim_loader;

/* ---- reading (config_read.c) ---- */

/* Initializes cfg and reads the file at path into it; the caller destroys
 * cfg with config_destroy whatever this returns. Only regular files are
 * read, and every `@include` target is checked to be one first (libconfig
 * would block on a FIFO and exit on a directory). With include_beside,
 * includes resolve relative to the file's folder. Returns 0 or
 * SIM_E_SCENARIO with a message naming the file and line. */
int sim_cfg_read_file(config_t *cfg, const char *path, bool include_beside,
                      sim_err *err);

/* Same from text, labelled label in messages; includes resolve against the
 * working directory. */
int sim_cfg_read_string(config_t *cfg, const char *text, const char *label,
                        sim_err *err);

/* ---- --set KEY=VALUE (set_override.c) ---- */

/* Applies one `--set` argument ("a.b.[2].c=value") to the tree: creates or
 * replaces the member, creating groups on the way; marks what it made with
 * the argument (the setting's hook) so that messages name the --set, not a
 * line. Returns 0 or SIM_E_SCENARIO. */
int sim_cfg_apply_set(config_t *cfg, const char *arg, sim_err *err);

/* The '=' that ends the key of a --set argument: the first one outside
 * brackets, so that a selector's "[name=x]" stays in the key; NULL if
 * there is none. */
const char *sim_cfg_set_equals(const char *arg);

/* ---- values and messages (config_util.c) ---- */

/* Reports an error about setting s (NULL: the file as a whole) as
 * "<file:line or --set>: <dotted path>: <text>"; returns SIM_E_SCENARIO. */
int sim_cfg_fail(const sim_loader *ld, const config_setting_t *s,
                 const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Where setting s comes from ("file:line", or the --set that made it)
 * into loc, and its dotted path ("instruments.[2].cost") into path: the
 * two parts of sim_cfg_fail's messages, for a warning (scenario_lint.c). */
void sim_cfg_where(const sim_loader *ld, const config_setting_t *s,
                   char *loc, size_t lsize, char *path, size_t psize);

/* True if s is an integer or a float. */
bool sim_cfg_is_number(const config_setting_t *s);

/* The value of a number setting as a double. */
double sim_cfg_number(const config_setting_t *s);

/* "an integer", "a group", ...: libconfig type t in a message. */
const char *sim_cfg_type_word(int t);

/* Checks setting s against key k and stores it into the struct at base;
 * returns 0 or SIM_E_SCENARIO (wrong type, out of range, unknown choice). */
int sim_cfg_load_key(const sim_loader *ld, const config_setting_t *s,
                     const sim_key *k, void *base);

/* The first member of group g whose name is not one of names[0..n), or
 * NULL if every member is. */
const config_setting_t *sim_cfg_first_unknown(const config_setting_t *g,
                                              const char *const *names, int n);

/* Checks that every member of group g is one of names[0..n); the error
 * names the first unknown member with a suggestion. */
int sim_cfg_check_members(const sim_loader *ld, const config_setting_t *g,
                          const char *const *names, int n);

/* Sets *out to the member `name` of g (g may be NULL), checked to be a
 * group; *out is NULL if absent. */
int sim_cfg_get_group(const sim_loader *ld, const config_setting_t *g,
                      const char *name, config_setting_t **out);

/* Loads the keys keys[0..nkeys) from group g (NULL: keep the defaults)
 * into base, rejecting members not in the table nor in extra[0..nextra). */
int sim_cfg_load_keys(const sim_loader *ld, const config_setting_t *g,
                      const sim_key *keys, int nkeys, const char *const *extra,
                      int nextra, void *base);

/* Sets *out to the member `name` of root, checked to be a list of at most
 * max groups; *out is NULL if absent. */
int sim_cfg_get_list(const sim_loader *ld, const config_setting_t *root,
                     const char *name, int max, config_setting_t **out);

/* A readable label for a key path, into name[size]: selectors
 * "[name=\"x\"]" become x and indices "[2]" become 2
 * (instruments.[name="us_potash"].value is instruments.us_potash.value);
 * the default name of a sweep's factor and of a calibrated parameter. */
void sim_cfg_key_label(const char *key, char *name, size_t size);

/* Fails unless group g has a member `key`. */
int sim_cfg_require(const sim_loader *ld, const config_setting_t *g,
                    const char *key);

#endif
