/* test_io_syscalls.c - system calls that fail where no file or limit can
 * make them fail: a kernel or file system without RENAME_EXCHANGE (the
 * install's fallback through DIR.old), flock without lock records
 * (ENOLCK), unlink refused (EBUSY), close and fstat reporting an I/O
 * error (as on a network file system), an append-open, a read and a
 * rename refused.
 *
 * Each case runs in a child process that installs a seccomp filter making
 * one system call (with one argument, e.g. a file descriptor or the open
 * flags, where that narrows it) return an error without running, then
 * calls the library and reports whether it returned the expected error
 * code with a message naming the file. The parent checks the exit status
 * and what is left on disk. Without seccomp (another kernel or
 * architecture) the cases are skipped, with a message. */
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sanctionsim/batch.h>
#include <sanctionsim/experiment.h>
#include <sanctionsim/merge.h>
#include <sanctionsim/scenario.h>

#include "../sim/journal.h"
#include "../sim/output.h"
#include "../sim/spill.h"

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1) /* linux/fs.h */
#endif

#if defined(__x86_64__)
#define ARCH_NR AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define ARCH_NR AUDIT_ARCH_AARCH64
#endif

/* The exit status of a child that could not install its filter. */
enum { NO_SECCOMP = 77 };

/* One failing system call: nr, with argument `arg` (-1: any arguments)
 * equal to `value` (its low 32 bits), returns -err. */
typedef struct rule {
    long nr;
    int arg;
    unsigned value;
    int err;
} rule;

/* Installs the rules (at most 4) for this process and its threads. */
static bool install(const rule *r, int n)
{
#ifdef ARCH_NR
    struct sock_filter prog[4 + 4 * 5];
    int k = 0;
    prog[k++] = (struct sock_filter)BPF_STMT(
        BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
    /* another architecture's call: allowed (the last instruction) */
    int jump_arch = k++;
    for (int i = 0; i < n && i < 4; i++) {
        prog[k++] = (struct sock_filter)BPF_STMT(
            BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
        if (r[i].arg < 0) {
            prog[k++] = (struct sock_filter)BPF_JUMP(
                BPF_JMP | BPF_JEQ | BPF_K, (unsigned)r[i].nr, 0, 1);
        } else {
            prog[k++] = (struct sock_filter)BPF_JUMP(
                BPF_JMP | BPF_JEQ | BPF_K, (unsigned)r[i].nr, 0, 3);
            prog[k++] = (struct sock_filter)BPF_STMT(
                BPF_LD | BPF_W | BPF_ABS,
                offsetof(struct seccomp_data, args) + 8 * (unsigned)r[i].arg);
            prog[k++] = (struct sock_filter)BPF_JUMP(
                BPF_JMP | BPF_JEQ | BPF_K, r[i].value, 0, 1);
        }
        prog[k++] = (struct sock_filter)BPF_STMT(
            BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ((unsigned)r[i].err & 0xffff));
    }
    prog[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    prog[jump_arch] = (struct sock_filter)BPF_JUMP(
        BPF_JMP | BPF_JEQ | BPF_K, ARCH_NR, 0, (unsigned char)(k - jump_arch - 2));
    struct sock_fprog fp = {.len = (unsigned short)k, .filter = prog};
    return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
           prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fp) == 0;
#else
    (void)r;
    (void)n;
    return false;
#endif
}

/* What a child checks: the library call under the filter returned want
 * with a message holding frag1 and frag2. */
static int check(int rc, int want, const sim_err *err, const char *frag1,
                 const char *frag2)
{
    if (rc == want && strstr(err->msg, frag1) && strstr(err->msg, frag2))
        return 0;
    fprintf(stderr, "status %d (want %d), message '%s' (want '%s' and '%s')\n",
            rc, want, err->msg, frag1, frag2);
    return 1;
}

/* Runs body(ctx) in a child under the rules; true if it passed, false if
 * seccomp is not available (the case is skipped); fails the test if the
 * body failed. The child leaves with exit, so that its coverage counts are
 * written. */
static bool in_child(const char *what, const rule *r, int n,
                     int (*body)(void *), void *ctx)
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (!install(r, n))
            exit(NO_SECCOMP);
        exit(body(ctx));
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (!WIFEXITED(status))
        fail_msg("%s: the child ended with status 0x%x", what, status);
    if (WEXITSTATUS(status) == NO_SECCOMP) {
        print_message("%s: no seccomp filter here; skipped\n", what);
        return false;
    }
    if (WEXITSTATUS(status) != 0)
        fail_msg("%s: failed (see the child's message above)", what);
    return true;
}

static bool exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

static void rm_rf(const char *path)
{
    char cmd[2400];
    int n = snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    assert_true(n > 0 && (size_t)n < sizeof cmd);
    assert_int_equal(system(cmd), 0);
}

/* The lowest free file descriptor: the next open gets it. */
static int lowest_free_fd(void)
{
    int fd = open("/dev/null", O_RDONLY);
    if (fd >= 0)
        close(fd);
    return fd;
}

/* ---- the install without RENAME_EXCHANGE ---- */

struct install_case {
    const char *dir;
    bool remove_partial; /* DIR.partial vanishes before the install */
};

/* Opens DIR (an earlier result) for replacing, and installs. */
static int install_body(void *p)
{
    const struct install_case *c = p;
    static sim_output o;
    sim_err err = {0};
    if (sim_output_open_dir(&o, c->dir, SIM_OUTPUT_FORCE, &err)) {
        fprintf(stderr, "open: %s\n", err.msg);
        return 1;
    }
    if (c->remove_partial)
        rmdir(o.tmp_dir);
    int rc = sim_output_install(&o, &err);
    if (c->remove_partial)
        return check(rc, SIM_E_IO, &err, "cannot rename the results into",
                     c->dir);
    return check(rc, SIM_E_IO, &err, "cannot move aside the old", c->dir);
}

/* An earlier result at DIR holding only the manifest text "old". */
static void make_old_result(const char *dir)
{
    char path[1300];
    rm_rf(dir);
    assert_int_equal(mkdir(dir, 0777), 0);
    snprintf(path, sizeof path, "%s/manifest.cfg", dir);
    assert_int_equal(sim_test_write(path, "old\n"), 0);
}

static void assert_old_result(const char *dir)
{
    char path[1300];
    snprintf(path, sizeof path, "%s/manifest.cfg", dir);
    char *text = sim_test_slurp(path, NULL);
    assert_non_null(text);
    assert_string_equal(text, "old\n");
    free(text);
}

/* Where the system cannot swap two directories (renameat2 with
 * RENAME_EXCHANGE is ENOSYS), the old result moves aside to DIR.old: if
 * that name is taken by a file, SIM_E_IO naming DIR; if DIR.partial then
 * cannot be renamed to DIR, SIM_E_IO, and the old result is back. */
static void test_install_without_exchange(void **state)
{
    (void)state;
    const char *tmp = sim_test_tmpdir("ios_install");
    char dir[1100], old[1200];
    snprintf(dir, sizeof dir, "%s/out", tmp);
    snprintf(old, sizeof old, "%s.old", dir);
    rule r = {SYS_renameat2, 4, RENAME_EXCHANGE, ENOSYS};

    make_old_result(dir);
    assert_int_equal(sim_test_write(old, "a file\n"), 0);
    struct install_case c = {dir, false};
    if (!in_child("DIR.old taken", &r, 1, install_body, &c))
        return;
    assert_old_result(dir);
    assert_true(exists(old));
    unlink(old);

    make_old_result(dir);
    c.remove_partial = true;
    in_child("DIR.partial gone", &r, 1, install_body, &c);
    assert_old_result(dir);
    assert_false(exists(old));
}

/* ---- flock and unlink refused ---- */

static int lock_body(void *p)
{
    static sim_output o;
    sim_err err = {0};
    int rc = sim_output_open_dir(&o, p, 0, &err);
    return check(rc, SIM_E_IO, &err, "cannot lock", ".partial");
}

/* flock fails for want of lock records (ENOLCK): SIM_E_IO naming
 * DIR.partial, which is removed again. */
static void test_lock_fails(void **state)
{
    (void)state;
    const char *tmp = sim_test_tmpdir("ios_lock");
    char dir[1100];
    snprintf(dir, sizeof dir, "%s/out", tmp);
    rule r = {SYS_flock, -1, 0, ENOLCK};
    if (in_child("flock", &r, 1, lock_body, dir))
        assert_int_equal(sim_test_dir_entries(tmp, NULL, 0), 0);
}

static int unlink_body(void *p)
{
    sim_spill *s = NULL;
    sim_err err = {0};
    if (sim_spill_open(&s, p, 1, 2, &err))
        return 1;
    int rc = 0;
    for (int i = 0; i < 3 && !rc; i++) {
        double x = i;
        rc = sim_spill_append(s, &x, &err);
    }
    sim_spill_close(s);
    return check(rc, SIM_E_IO, &err, "cannot unlink", ".spill-");
}

/* The spill's temporary file cannot be unlinked once made: SIM_E_IO
 * naming it. */
static void test_unlink_fails(void **state)
{
    (void)state;
    char tmp[1100];
    snprintf(tmp, sizeof tmp, "%s", sim_test_tmpdir("ios_unlink"));
    rule r[2] = {{SYS_unlinkat, -1, 0, EBUSY}, {-1, -1, 0, EBUSY}};
    int n = 1;
#ifdef SYS_unlink
    r[n++] = (rule){SYS_unlink, -1, 0, EBUSY};
#endif
    in_child("unlink", r, n, unlink_body, tmp);
    rm_rf(tmp);
}

/* ---- close and fstat report an I/O error ---- */

static char spill_path[1200];

static int save_body(void *p)
{
    sim_spill *s = p;
    sim_err err = {0};
    int rc = sim_spill_save(s, NULL, spill_path, &err);
    return check(rc, SIM_E_IO, &err, "cannot write the spill file",
                 spill_path);
}

static int load_body(void *p)
{
    (void)p;
    sim_spill *s = NULL;
    sim_err err = {0};
    int rc = sim_spill_load(&s, spill_path, &err);
    sim_spill_close(s);
    return check(rc, SIM_E_IO, &err, spill_path, "Input/output error");
}

/* Closing a saved spill file fails (EIO, as a network file system may
 * report a lost write there): SIM_E_IO, and no file is left. Reading the
 * size of a saved one fails: SIM_E_IO naming it. */
static void test_close_and_fstat_fail(void **state)
{
    (void)state;
    const char *tmp = sim_test_tmpdir("ios_close");
    snprintf(spill_path, sizeof spill_path, "%s/metrics.bin", tmp);
    sim_spill *s = NULL;
    sim_err err = {0};
    assert_int_equal(sim_spill_open(&s, tmp, 1, 0, &err), 0);
    for (int i = 0; i < 5; i++) {
        double x = i;
        assert_int_equal(sim_spill_append(s, &x, &err), 0);
    }
    sim_spill_finish(s);
    /* save's open takes the lowest free descriptor */
    rule r = {SYS_close, 0, (unsigned)lowest_free_fd(), EIO};
    bool ran = in_child("close", &r, 1, save_body, s);
    if (ran)
        assert_false(exists(spill_path));
    assert_int_equal(sim_spill_save(s, NULL, spill_path, &err), 0);
    sim_spill_close(s);
    if (!ran)
        return;

    unsigned fd = (unsigned)lowest_free_fd();
    rule f[2] = {{SYS_fstat, 0, fd, EIO}, {-1, -1, 0, EIO}};
    int n = 1;
#ifdef SYS_newfstatat
    f[n++] = (rule){SYS_newfstatat, 0, fd, EIO};
#endif
    in_child("fstat", f, n, load_body, NULL);
}

/* ---- the journal cannot be reopened for appending ---- */

static char journal_dir[1100];

static int no_row(void *ctx, const double *m, sim_err *err)
{
    (void)ctx;
    (void)m;
    (void)err;
    return 0;
}

static int journal_body(void *p)
{
    (void)p;
    sim_journal j = {0};
    sim_journal_files files = {SIM_JOURNAL_FILE, "runs.csv", NULL};
    long done = 0;
    sim_err err = {0};
    int rc = sim_journal_recover(&j, journal_dir, &files, 1, 0, 100, no_row,
                                 NULL, &done, &err);
    sim_journal_close(&j);
    return check(rc, SIM_E_IO, &err, "cannot open", SIM_JOURNAL_FILE);
}

/* After the journal is recovered and cut, it cannot be opened to append
 * to (the open for appending fails): SIM_E_IO naming it. */
static void test_journal_reopen_fails(void **state)
{
    (void)state;
    snprintf(journal_dir, sizeof journal_dir, "%s",
             sim_test_tmpdir("ios_journal"));
    char path[1300];
    snprintf(path, sizeof path, "%s/runs.csv", journal_dir);
    assert_int_equal(sim_test_write(path, "0123456789012345678901234567890"),
                     0);
    sim_journal j = {0};
    sim_err err = {0};
    assert_int_equal(
        sim_journal_create(&j, journal_dir, SIM_JOURNAL_FILE, 1, 0, &err), 0);
    for (int i = 0; i < 3; i++) {
        double v = i;
        assert_int_equal(
            sim_journal_append(&j, (uint64_t)(10 * (i + 1)), 0, &v, &err), 0);
    }
    sim_journal_close(&j);
    rule r = {SYS_openat, 2, O_WRONLY | O_CREAT | O_APPEND, EACCES};
    in_child("journal", &r, 1, journal_body, NULL);
}

/* ---- a manifest that cannot be read ---- */

static char slices[2][1200], merged[1200];

static int merge_body(void *p)
{
    (void)p;
    const char *dirs[2] = {slices[0], slices[1]};
    sim_merge_opts o = {.dirs = dirs, .ndirs = 2, .outdir = merged,
                        .command_line = "test_io_syscalls"};
    sim_merge_result r;
    sim_err err = {0};
    int rc = sim_merge_run(&o, &r, &err);
    char path[1300];
    snprintf(path, sizeof path, "%s/manifest.cfg", slices[0]);
    return check(rc, SIM_E_IO, &err, "Input/output error", path);
}

/* Reading the first slice's manifest fails (EIO on its descriptor, the
 * one after DIR.partial's lock): SIM_E_IO naming it, nothing left. */
static void test_merge_manifest_read_fails(void **state)
{
    (void)state;
    char tmp[1100];
    snprintf(tmp, sizeof tmp, "%s", sim_test_tmpdir("ios_merge"));
    static sim_scenario sc;
    sim_err err = {0};
    if (sim_scenario_load(&sc, sim_builtin_models(), "tests/golden/small.cfg",
                          NULL, 0, NULL, &err))
        fail_msg("%s", err.msg);
    sc.replications = 2;
    for (int i = 0; i < 2; i++) {
        snprintf(slices[i], sizeof slices[i], "%s/s%d", tmp, i);
        sim_batch_opts o = {.seed = 3,
                            .replications = 1,
                            .first = i,
                            .keep_values = true,
                            .outdir = slices[i],
                            .command_line = "test_io_syscalls"};
        sim_batch_result r;
        if (sim_batch_run(&sc, &o, &r, &err))
            fail_msg("%s: %s", slices[i], err.msg);
        sim_batch_result_free(&r);
    }
    snprintf(merged, sizeof merged, "%s/out", tmp);
    rule r = {SYS_read, 0, (unsigned)lowest_free_fd() + 1, EIO};
    if (in_child("merge", &r, 1, merge_body, NULL))
        assert_int_equal(sim_test_dir_entries(tmp, NULL, 0), 2);
}

/* ---- a sweep's manifest cannot be renamed into place ---- */

static sim_experiment experiment;
static char sweep_out[1200];

static int value_of_x(void *ctx, long point, const double *x, double *y,
                      double *se, sim_err *err)
{
    (void)ctx;
    (void)point;
    (void)err;
    y[0] = x[0];
    se[0] = 0;
    return 0;
}

static int sweep_body(void *p)
{
    (void)p;
    sim_sweep_opts o = {.outdir = sweep_out, .command_line = "test_io_syscalls"};
    static sim_sweep_result r;
    sim_err err = {0};
    int rc = sim_sweep_run_fn(&experiment, value_of_x, NULL, &o, &r, &err);
    sim_sweep_result_free(&r);
    return check(rc, SIM_E_IO, &err, "cannot write", "manifest.cfg");
}

/* rename fails (EIO) when the sweep's first manifest, written beside, is
 * to take its name: SIM_E_IO naming it, nothing left. */
static void test_sweep_manifest_rename_fails(void **state)
{
    (void)state;
    const char *tmp = sim_test_tmpdir("ios_sweep");
    snprintf(sweep_out, sizeof sweep_out, "%s/out", tmp);
    sim_err err = {0};
    if (sim_experiment_load_string(
            &experiment,
            "scenario = \"tests/golden/small.cfg\"; replications = 2;\n"
            "design = \"sobol\"; samples = 4; seed = 5L;\n"
            "metrics = [\"x\"];\n"
            "factors = ( { key = \"tension.decay\"; range = [0.5, 0.9]; } "
            ");\n",
            "e.cfg", &err))
        fail_msg("%s", err.msg);
    rule r[3] = {{SYS_renameat2, 4, 0, EIO}, {-1, -1, 0, 0}, {-1, -1, 0, 0}};
    int n = 1;
#ifdef SYS_rename
    r[n++] = (rule){SYS_rename, -1, 0, EIO};
#endif
#ifdef SYS_renameat
    r[n++] = (rule){SYS_renameat, -1, 0, EIO};
#endif
    if (in_child("sweep manifest", r, n, sweep_body, NULL))
        assert_int_equal(sim_test_dir_entries(tmp, NULL, 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_install_without_exchange),
        cmocka_unit_test(test_lock_fails),
        cmocka_unit_test(test_unlink_fails),
        cmocka_unit_test(test_close_and_fstat_fail),
        cmocka_unit_test(test_journal_reopen_fails),
        cmocka_unit_test(test_merge_manifest_read_fails),
        cmocka_unit_test(test_sweep_manifest_rename_fails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
