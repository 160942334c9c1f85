/* test_explore.c - the request handling of `sanctionsim explore`
 * (cli/explore_api.c) without sockets: the page's files, the levers,
 * good and bad runs (the loader's message and key, did-you-mean, bad
 * seeds, bodies too large, unknown paths and methods, path traversal,
 * absolute URLs, other hosts, the rate limit with an injected clock), the
 * server still answering after each refusal, a finished run's result
 * against sim_batch_run of the same scenario, seed and replications, the
 * scenario file of a run loaded back, a run cancelled by a newer one; and
 * the program itself: it prints its address, serves, and stops with exit
 * status 0 on SIGTERM. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include <sanctionsim/batch.h>
#include <sanctionsim/scenario.h>

#include "../cli/explore_api.h"

#define SCENARIO "scenarios/baseline.cfg"
/* Replications per run in these tests. */
#define REPS 240

static explore_state *st;
static double fake_now;
static bool fake_advance = true;

/* The injected clock: a second passes at every request unless a test
 * stops it (so that only the rate-limit test meets the limit). */
static double fake_clock(void *ctx)
{
    (void)ctx;
    if (fake_advance)
        fake_now += 1;
    return fake_now;
}

static int setup(void **state)
{
    (void)state;
    sim_err err = {0};
    st = calloc(1, sizeof *st);
    if (!st || explore_state_init(st, SCENARIO, NULL, 1, REPS, &err) != 0) {
        print_error("init: %s\n", err.msg);
        return -1;
    }
    st->clock = fake_clock;
    st->refilled = fake_now;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    explore_state_free(st);
    free(st);
    return 0;
}

/* One request; a query argument key=value if key is not NULL. */
static void request(const char *method, const char *path, const char *key,
                    const char *value, const char *body, explore_reply *r)
{
    explore_args args = {.n = 0};
    if (key) {
        args.arg[0].key = key;
        args.arg[0].value = value;
        args.n = 1;
    }
    explore_handle(st, method, path, &args, body, body ? strlen(body) : 0, r);
}

/* The reply's body as a string (malloc'ed). */
static char *text_of(const explore_reply *r)
{
    char *s = malloc(r->len + 1);
    assert_non_null(s);
    memcpy(s, r->body, r->len);
    s[r->len] = '\0';
    return s;
}

/* Asserts the status, that the body is JSON holding `part` (if not NULL)
 * and frees the reply. */
static void expect(explore_reply *r, int status, const char *part)
{
    char *s = text_of(r);
    if (r->status != status || (part && !strstr(s, part)))
        fail_msg("status %d (want %d), body %s (want it to hold %s)",
                 r->status, status, s, part ? part : "-");
    free(s);
    explore_reply_free(r);
}

/* True if python3 reads the text as JSON; skipped (true) without
 * python3. */
static bool json_ok(const char *text, size_t len)
{
    const char *dir = sim_test_tmpdir("explore_json");
    char path[1200], cmd[1400];
    snprintf(path, sizeof path, "%s/x.json", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    snprintf(cmd, sizeof cmd,
             "python3 -c 'import json,sys; json.load(open(sys.argv[1]))' %s",
             path);
    char *out = NULL;
    int rc = sim_test_run(cmd, &out);
    if (rc == 127)
        print_message("python3 not found: the JSON is not parsed\n");
    else if (rc != 0)
        print_error("%s\n", out ? out : "");
    free(out);
    return rc == 0 || rc == 127;
}

static void test_page_files(void **state)
{
    (void)state;
    explore_reply r;
    assert_true(explore_page_nfiles >= 1);
    int index = -1;
    for (int i = 0; i < explore_page_nfiles; i++)
        if (!strcmp(explore_page_files[i].name, "index.html"))
            index = i;
    assert_true(index >= 0);
    request("GET", "/", NULL, NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.type, "text/html; charset=utf-8");
    assert_int_equal(r.len, explore_page_files[index].size);
    assert_memory_equal(r.body, explore_page_files[index].data, r.len);
    explore_reply_free(&r);
    for (int i = 0; i < explore_page_nfiles; i++) {
        char path[128];
        snprintf(path, sizeof path, "/%s", explore_page_files[i].name);
        request("HEAD", path, NULL, NULL, NULL, &r);
        assert_int_equal(r.status, 200);
        assert_int_equal(r.len, explore_page_files[i].size);
        explore_reply_free(&r);
    }
    request("POST", "/index.html", NULL, NULL, "a=1", &r);
    assert_non_null(r.allow);
    expect(&r, 405, "\"error\"");
    request("DELETE", "/", NULL, NULL, NULL, &r);
    expect(&r, 405, "method not allowed");
}

/* Paths outside the server's own: never a file of the disk. */
static void test_refused_paths(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "/../etc/passwd", "/%2e%2e/etc/passwd", "/../../../../etc/passwd",
        "//etc/passwd",   "/index.html/",       "/api/levers/../run",
        "/api",           "/api/",              "/explore_page/index.html",
        "/CMakeLists.txt", "/index.html%00",     "/.git/config"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        explore_reply r;
        request("GET", bad[i], NULL, NULL, NULL, &r);
        expect(&r, 404, "no such page");
    }
    explore_reply r;
    request("GET", "http://127.0.0.1:8765/api/levers", NULL, NULL, NULL, &r);
    expect(&r, 400, "only paths of this server");
    request("GET", "../etc/passwd", NULL, NULL, NULL, &r);
    expect(&r, 400, "\"key\":null");
    request("GET", "/api/levers", NULL, NULL, NULL, &r);
    expect(&r, 200, "\"groups\"");
}

static void test_levers(void **state)
{
    (void)state;
    explore_reply r;
    request("GET", "/api/levers", NULL, NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.type, "application/json");
    assert_true(json_ok(r.body, r.len));
    char *s = text_of(&r);
    static const char *const want[] = {
        "\"scenario\":\"scenarios/baseline.cfg\"", "\"name\":\"baseline\"",
        "\"rounds\":36", "\"name\":\"minsk\"", "\"name\":\"lithuania\"",
        "\"name\":\"shocks\"", "\"name\":\"instruments\"",
        "\"path\":\"actors.minsk.discount\"",
        "\"path\":\"actors.washington.offer.model\"",
        "\"path\":\"shocks.arrests.mean\"",
        "\"path\":\"revolving_door.elasticity\"",
        "\"path\":\"borders.pl_open\"",
        "\"path\":\"instruments.[name=us_potash].value\"",
        "\"path\":\"offers.washington.us_potash\"",
        "\"path\":\"offers.eu.eu_potash\"", "\"kind\":\"choice\"",
        "\"choices\":[", "\"restart\":true"};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        if (!strstr(s, want[i]))
            fail_msg("the levers lack %s", want[i]);
    /* the baseline's discount of minsk, within its slider */
    assert_non_null(strstr(s, "\"path\":\"actors.minsk.discount\",\"label\":"
                              "\"discount factor\",\"kind\":\"real\","
                              "\"value\":0.99,\"min\":0.8,\"max\":1"));
    free(s);
    explore_reply_free(&r);
}

/* Bad runs: each a 400 (or 413) with the loader's words and the key; the
 * server answers a good request after each. */
static void test_bad_runs(void **state)
{
    (void)state;
    static const struct {
        const char *body, *part;
        int status;
    } bad[] = {
        {"set=actors.minsk.discount%3D2",
         "\"error\":\"command line (--set actors.minsk.discount=2): "
         "actors.minsk.discount: 2 is out of range [0, 1]\","
         "\"key\":\"actors.minsk.discount\"",
         400},
        {"set=actors.minsk.discont%3D0.9",
         "unknown key; did you mean 'discount'?\","
         "\"key\":\"actors.minsk.discont\"",
         400},
        {"set=instruments.%5Bname%3Dus_potsh%5D.value%3D2",
         "did you mean 'us_potash'?", 400},
        {"seed=-1", "\"key\":\"seed\"", 400},
        {"seed=12x", "\"key\":\"seed\"", 400},
        {"seed=9223372036854775808", "\"key\":\"seed\"", 400},
        {"set=nokey", "write set=PATH=VALUE", 400},
        {"colour=red", "unknown field 'colour'", 400},
        {"set=a%00b%3D1", "not a form", 400},
        {"set=offers.eu.us_potash%3Dfalse", "\"key\":\"offers.eu.us_potash\"",
         400},
        {"set=offers.washington.us_potash%3Dmaybe", "true or false", 400},
        {"set=offers.poland.us_potash%3Dfalse", "\"key\":", 400},
        {"set=actors.eu.offers%3D%5B1%5D",
         "\"key\":\"actors.eu.offers\"", 400},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        explore_reply r;
        request("POST", "/api/run", NULL, NULL, bad[i].body, &r);
        expect(&r, bad[i].status, bad[i].part);
        request("GET", "/api/levers", NULL, NULL, NULL, &r);
        expect(&r, 200, NULL);
    }
    /* a body too large: only its length counts */
    explore_reply r;
    explore_handle(st, "POST", "/api/run", NULL, "", EXPLORE_BODY_MAX + 1, &r);
    expect(&r, 413, "64 KiB");
    /* too many fields */
    size_t n = 3 * (EXPLORE_MAX_ARGS + 1);
    char *many = malloc(n + 1);
    assert_non_null(many);
    for (size_t i = 0; i < n; i += 3)
        memcpy(many + i, "a&&", 3);
    many[n] = '\0';
    request("POST", "/api/run", NULL, NULL, many, &r);
    free(many);
    expect(&r, 400, "too many fields");
    request("GET", "/api/result", "run", "abc", NULL, &r);
    expect(&r, 400, "\"key\":\"run\"");
    request("GET", "/api/result", "run", "99999", NULL, &r);
    expect(&r, 404, "no such run");
    request("GET", "/api/scenario.cfg", "run", "99999", NULL, &r);
    expect(&r, 404, "no such run");
}

/* The value of `"key":` after `from` in json, NaN for null. */
static double number_after(const char *json, const char *from,
                           const char *key)
{
    const char *p = strstr(json, from);
    if (!p)
        fail_msg("%s not in the result", from);
    char k[128];
    snprintf(k, sizeof k, "\"%s\":", key);
    p = strstr(p, k);
    if (!p)
        fail_msg("%s not after %s", k, from);
    p += strlen(k);
    return strncmp(p, "null", 4) == 0 ? NAN : strtod(p, NULL);
}

/* Waits for run id to end; returns its result. */
static char *finished(long id)
{
    assert_true(explore_runner_wait(st->runner, id, 120));
    char num[32];
    snprintf(num, sizeof num, "%ld", id);
    explore_reply r;
    request("GET", "/api/result", "run", num, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_true(json_ok(r.body, r.len));
    char *s = text_of(&r);
    explore_reply_free(&r);
    return s;
}

/* Starts a run; returns its id. */
static long start_run(const char *body)
{
    explore_reply r;
    request("POST", "/api/run", NULL, NULL, body, &r);
    char *s = text_of(&r);
    if (r.status != 200)
        fail_msg("POST /api/run %s: %d %s", body, r.status, s);
    assert_true(json_ok(r.body, r.len));
    long id = (long)number_after(s, "{", "run");
    free(s);
    explore_reply_free(&r);
    return id;
}

/* A finished run's summary equals summary.csv's means of the shown
 * command, run here as sim_batch_run: same scenario, seed and
 * replications (common random numbers: the unchanged arm's values
 * equal a batch of the base scenario too). */
static void test_result_equals_batch(void **state)
{
    (void)state;
    long id = start_run("seed=7&set=actors.minsk.discount%3D0.95"
                        "&set=offers.washington.us_potash%3Dfalse");
    char *json = finished(id);
    static const char *const fields[] = {
        "\"state\":\"done\"", "\"replications\":240", "\"target\":240",
        "\"seed\":7", "\"rounds\":36", "\"stock\":{\"q05\":[",
        "\"q25\":[", "\"q50\":[", "\"q75\":[", "\"q95\":[", "\"mean\":[",
        "\"base_stock\":{", "\"releases\":{\"edges\":[", "\"counts\":[",
        "\"base_counts\":[", "\"lifted\":[{\"name\":\"us_belavia\"",
        "\"imposer\":\"us\"", "\"borders\":[{\"name\":\"pl_border_open\"",
        "\"lt_border_open\"", "\"klaipeda_open\"",
        "\"compare\":[{\"metric\":\"released_total\"", "\"diff\":",
        "\"lo\":", "\"hi\":", "\"summary\":[",
        "\"command\":\"sanctionsim run scenarios/baseline.cfg --seed 7 -n 240 "
        "--set actors.minsk.discount=0.95 --set "
        "'actors.washington.offers=[\\\"us_belavia\\\",\\\"us_finance\\\","
        "\\\"us_petroleum\\\",\\\"us_embassy\\\",\\\"us_recognition\\\"]' "
        "-o results/explore\""};
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
        if (!strstr(json, fields[i]))
            fail_msg("the result lacks %s: %.400s", fields[i], json);

    const char *sets[] = {"actors.minsk.discount=0.95",
                          "actors.washington.offers=[\"us_belavia\","
                          "\"us_finance\",\"us_petroleum\",\"us_embassy\","
                          "\"us_recognition\"]"};
    static sim_scenario sc;
    sim_err err = {0};
    assert_int_equal(sim_scenario_load(&sc, sim_builtin_models(), SCENARIO,
                                       sets, 2, NULL, &err),
                     0);
    const char *dir = sim_test_tmpdir("explore_batch");
    char out[1100];
    snprintf(out, sizeof out, "%s/run", dir);
    sim_batch_opts o = {.seed = 7, .replications = REPS, .outdir = out,
                        .threads = 1};
    sim_batch_result res;
    assert_int_equal(sim_batch_run(&sc, &o, &res, &err), 0);
    int compared = 0;
    for (int i = 0; i < res.nrows; i++) {
        char from[160];
        snprintf(from, sizeof from, "{\"metric\":\"%s\",\"mean\":",
                 res.rows[i].metric);
        double m = number_after(json, from, "mean");
        if (!(m == res.rows[i].mean || (isnan(m) && isnan(res.rows[i].mean))))
            fail_msg("%s: %.17g in the result, %.17g in summary.csv",
                     res.rows[i].metric, m, res.rows[i].mean);
        compared++;
    }
    assert_true(compared > 40);
    /* the comparison's means are the two arms' summary means */
    const sim_summary *rel = sim_batch_find(&res, "released_total");
    assert_non_null(rel);
    double mean = number_after(json, "\"compare\":[{\"metric\":"
                                     "\"released_total\"", "mean");
    double lo = number_after(json, "\"compare\":[{", "lo");
    double hi = number_after(json, "\"compare\":[{", "hi");
    double diff = number_after(json, "\"compare\":[{", "diff");
    assert_true(mean == rel->mean);
    assert_true(lo <= diff && diff <= hi);
    sim_batch_result_free(&res);
    free(json);
}

/* The scenario file of a run loads back as the changed scenario, with
 * the run's seed. */
static void test_scenario_file(void **state)
{
    (void)state;
    long id = start_run("seed=11&set=revolving_door.elasticity%3D0.5");
    char num[32];
    snprintf(num, sizeof num, "%ld", id);
    explore_reply r;
    request("GET", "/api/scenario.cfg", "run", num, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(r.disposition);
    assert_non_null(strstr(r.disposition, "explore.cfg"));
    char *text = text_of(&r);
    explore_reply_free(&r);
    static sim_scenario sc;
    sim_err err = {0};
    assert_int_equal(sim_scenario_load_string(&sc, sim_builtin_models(), text,
                                              "explore.cfg", NULL, 0, NULL,
                                              &err),
                     0);
    assert_true(sc.revolving_door.elasticity == 0.5);
    assert_int_equal(sc.seed, 11);
    free(text);
    assert_true(explore_runner_wait(st->runner, id, 120));
}

/* A newer run cancels the one under way; the newer one finishes. */
static void test_cancel(void **state)
{
    (void)state;
    long saved = st->max_reps;
    st->max_reps = 20000;
    long a = start_run("seed=21");
    st->max_reps = saved;
    long b = start_run("seed=22");
    char *ja = finished(a), *jb = finished(b);
    assert_non_null(strstr(ja, "\"state\":\"cancelled\""));
    assert_non_null(strstr(jb, "\"state\":\"done\""));
    assert_non_null(strstr(jb, "\"replications\":240"));
    free(ja);
    free(jb);
    /* without run=: the newest */
    explore_reply r;
    request("GET", "/api/result", NULL, NULL, NULL, &r);
    char want[64];
    snprintf(want, sizeof want, "{\"run\":%ld,", b);
    expect(&r, 200, want);
}

/* 50 requests a second, 100 at once: the 101st at one instant is
 * refused, and an eighth of a second later six more pass (6.25 tokens;
 * an eighth, exact in binary at any clock reading, where a tenth added
 * to a large reading refills a hair under 5). */
static void test_rate_limit(void **state)
{
    (void)state;
    fake_advance = true;
    fake_clock(NULL);
    fake_clock(NULL); /* the bucket full */
    explore_reply r;
    request("GET", "/api/levers", NULL, NULL, NULL, &r);
    explore_reply_free(&r);
    fake_advance = false;
    st->tokens = EXPLORE_BURST;
    for (int i = 0; i < (int)EXPLORE_BURST; i++) {
        request("GET", "/api/levers", NULL, NULL, NULL, &r);
        expect(&r, 200, NULL);
    }
    request("GET", "/api/levers", NULL, NULL, NULL, &r);
    expect(&r, 429, "too many requests");
    fake_now += 0.125;
    for (int i = 0; i < 6; i++) {
        request("GET", "/", NULL, NULL, NULL, &r);
        assert_int_equal(r.status, 200);
        explore_reply_free(&r);
    }
    request("GET", "/", NULL, NULL, NULL, &r);
    expect(&r, 429, NULL);
    fake_advance = true;
    request("GET", "/", NULL, NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    explore_reply_free(&r);
}

/* Bound to the loopback, the server answers only its own Host. */
static void test_host(void **state)
{
    (void)state;
    explore_state_local_hosts(st, 8765);
    explore_args args = {.host = "evil.example:8765"};
    explore_reply r;
    explore_handle(st, "GET", "/api/levers", &args, NULL, 0, &r);
    expect(&r, 403, "own address");
    args.host = "localhost:8765";
    explore_handle(st, "GET", "/api/levers", &args, NULL, 0, &r);
    expect(&r, 200, NULL);
    args.host = "127.0.0.1:8765";
    explore_handle(st, "GET", "/", &args, NULL, 0, &r);
    assert_int_equal(r.status, 200);
    explore_reply_free(&r);
    st->nhosts = 0;
}

static void test_form_and_words(void **state)
{
    (void)state;
    char body[] = "a=1&b=x+y%21&set=k%3D%5B%22v%22%5D&&empty=&bare";
    explore_args args = {.n = 0};
    assert_true(explore_form_parse(body, &args));
    assert_int_equal(args.n, 5);
    assert_string_equal(args.arg[1].value, "x y!");
    assert_string_equal(args.arg[2].value, "k=[\"v\"]");
    assert_string_equal(args.arg[3].value, "");
    assert_string_equal(args.arg[4].key, "bare");
    char nul[] = "a=%00";
    args.n = 0;
    assert_false(explore_form_parse(nul, &args));
    char buf[128] = "run ";
    explore_shell_word(buf, sizeof buf, "it's a=[\"x\"]");
    assert_string_equal(buf, "run 'it'\\''s a=[\"x\"]'");
    snprintf(buf, sizeof buf, "x ");
    explore_shell_word(buf, sizeof buf, "actors.minsk.discount=0.9");
    assert_string_equal(buf, "x actors.minsk.discount=0.9");
}

/* What test_program asks the running server over HTTP: the levers, a
 * body too large (413, declared and chunked), a run, a path outside. */
static const char client_py[] =
    "import sys, urllib.request as u, urllib.error as e, http.client as h\n"
    "base = 'http://127.0.0.1:' + sys.argv[1]\n"
    "def code(req):\n"
    "    try:\n"
    "        return u.urlopen(req).status\n"
    "    except e.HTTPError as x:\n"
    "        return x.code\n"
    "print('levers', code(base + '/api/levers'))\n"
    "print('big', code(u.Request(base + '/api/run', data=b'a' * 70000)))\n"
    "c = h.HTTPConnection('127.0.0.1', int(sys.argv[1]))\n"
    "c.putrequest('POST', '/api/run')\n"
    "c.putheader('Transfer-Encoding', 'chunked')\n"
    "c.endheaders()\n"
    "for i in range(9):\n"
    "    c.send(b'2000\\r\\n' + b'a' * 8192 + b'\\r\\n')\n"
    "c.send(b'0\\r\\n\\r\\n')\n"
    "print('chunked', c.getresponse().status)\n"
    "print('run', code(u.Request(base + '/api/run', data=b'seed=3')))\n"
    "print('outside', code(base + '/../etc/passwd'))\n"
    "print('levers', code(base + '/api/levers'))\n";

/* The program: its address line first, real requests, exit 0 on
 * SIGTERM; a bad scenario exits 2 before serving. */
static void test_program(void **state)
{
    (void)state;
    const char *dir = sim_test_tmpdir("explore_program");
    char cmd[4096], *out = NULL;
    snprintf(cmd, sizeof cmd, "%s/client.py", dir);
    assert_int_equal(sim_test_write(cmd, client_py), 0);
    snprintf(cmd, sizeof cmd,
             "%s explore " SCENARIO " --port 0 --threads 1 --max-reps 50 "
             ">%s/out.txt 2>%s/err.txt & pid=$!; "
             "i=0; while [ $i -lt 100 ] && ! grep -qs serving %s/out.txt; do "
             "sleep 0.1; i=$((i+1)); done; "
             "port=$(sed -n 's/.*127.0.0.1:\\([0-9]*\\)\\/.*/\\1/p' "
             "%s/out.txt); python3 %s/client.py \"$port\"; "
             "kill -TERM $pid; wait $pid; echo \"exit $?\"; "
             "head -1 %s/out.txt",
             sim_test_bin(), dir, dir, dir, dir, dir, dir);
    assert_int_equal(sim_test_run(cmd, &out), 0);
    assert_non_null(out);
    if (!strstr(out, "exit 0") ||
        !strstr(out, "explore: serving " SCENARIO " at http://127.0.0.1:") ||
        !strstr(out, "(Ctrl-C stops)"))
        fail_msg("%s", out);
    if (!strstr(out, "python3: not found") &&
        !strstr(out, "python3: command not found") &&
        !strstr(out, "levers 200\nbig 413\nchunked 413\nrun 200\n"
                     "outside 404\nlevers 200\n"))
        fail_msg("over HTTP: %s", out);
    free(out);
    snprintf(cmd, sizeof cmd, "%s explore %s/missing.cfg --port 0",
             sim_test_bin(), dir);
    assert_int_equal(sim_test_run(cmd, &out), 2);
    assert_non_null(strstr(out, "missing.cfg"));
    free(out);
    snprintf(cmd, sizeof cmd, "%s explore --prot 1", sim_test_bin());
    assert_int_equal(sim_test_run(cmd, &out), 2);
    assert_non_null(strstr(out, "did you mean '--port'"));
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_page_files),
        cmocka_unit_test(test_refused_paths),
        cmocka_unit_test(test_levers),
        cmocka_unit_test(test_bad_runs),
        cmocka_unit_test(test_result_equals_batch),
        cmocka_unit_test(test_scenario_file),
        cmocka_unit_test(test_cancel),
        cmocka_unit_test(test_rate_limit),
        cmocka_unit_test(test_host),
        cmocka_unit_test(test_form_and_words),
        cmocka_unit_test(test_program),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
