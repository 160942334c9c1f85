/* discover_expr.c - the outcome of `discover`: a small expression over a
 * table's columns (comparisons joined by &&, ||, !, parentheses), parsed by
 * recursive descent into a tree of nodes, and evaluated row by row.
 * discover.h gives the grammar. Errors point at the character column. */
#include <sanctionsim/discover.h>

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sanctionsim/suggest.h>

/* Parentheses and ! nested deeper than this are refused (the parser
 * recurses once per level). */
#define EXPR_MAX_DEPTH 64
#define EXPR_MAX_LEN 4096

typedef enum node_kind { N_OR, N_AND, N_NOT, N_CMP } node_kind;
typedef enum cmp_op { OP_LT, OP_LE, OP_GT, OP_GE, OP_EQ, OP_NE } cmp_op;

/* An operand: column `col` of the row, or the number `num` (col < 0). */
typedef struct operand {
    int col;
    double num;
} operand;

/* A node: N_OR, N_AND (children a, b), N_NOT (child a) or a comparison
 * l op r. */
typedef struct node {
    node_kind kind;
    int a, b;
    cmp_op op;
    operand l, r;
} node;

struct sim_expr {
    node *nodes;
    int n, cap, root;
};

typedef struct parser {
    const char *text;
    size_t pos;
    const char *const *names;
    int nnames, depth;
    sim_expr *e;
    sim_err *err;
} parser;

/* Reports a fault at byte offset at: the expression, the character
 * column and the text from there, and what is wrong. (Messages are one
 * line: sim_error escapes line breaks.) */
static int fault(parser *p, size_t at, const char *what, const char *detail)
{
    return sim_error(p->err, SIM_E_USAGE,
                     "outcome expression '%.200s', column %zu (%s%.24s%s): "
                     "%s%s",
                     p->text, at + 1, p->text[at] ? "at '" : "at the end",
                     p->text + at, p->text[at] ? "'" : "", what,
                     detail ? detail : "");
}

static void skip_space(parser *p)
{
    while (isspace((unsigned char)p->text[p->pos]))
        p->pos++;
}

static int add_node(parser *p, node nd, int *idx)
{
    sim_expr *e = p->e;
    if (e->n == e->cap) {
        int c = e->cap ? 2 * e->cap : 16;
        node *m = realloc(e->nodes, (size_t)c * sizeof *m);
        if (!m)
            return sim_error(p->err, SIM_E_NOMEM, "out of memory");
        e->nodes = m;
        e->cap = c;
    }
    e->nodes[e->n] = nd;
    *idx = e->n++;
    return 0;
}

/* A column name or true/false at p->pos (a letter or '_' there). */
static int parse_name(parser *p, operand *o)
{
    size_t start = p->pos, len = 0;
    const char *s = p->text + start;
    while (isalnum((unsigned char)s[len]) || s[len] == '_' || s[len] == '.')
        len++;
    p->pos += len;
    *o = (operand){.col = -1};
    if (len == 4 && !strncmp(s, "true", 4)) {
        o->num = 1;
        return 0;
    }
    if (len == 5 && !strncmp(s, "false", 5))
        return 0;
    for (int c = 0; c < p->nnames; c++)
        if (strlen(p->names[c]) == len && !strncmp(p->names[c], s, len)) {
            o->col = c;
            return 0;
        }
    char name[SIM_COLUMN_NAME_MAX], what[SIM_COLUMN_NAME_MAX + 32];
    char hint[400];
    snprintf(name, sizeof name, "%.*s", (int)len, s);
    snprintf(what, sizeof what, "unknown column '%s'", name);
    sim_suggest(name, p->names, p->nnames, hint, sizeof hint);
    return fault(p, start, what, hint);
}

/* A number (digits, a point, an exponent; a sign before), a name, or an
 * error naming what was found. */
static int parse_operand(parser *p, operand *o)
{
    skip_space(p);
    size_t start = p->pos;
    const char *s = p->text + start;
    if (isalpha((unsigned char)*s) || *s == '_')
        return parse_name(p, o);
    size_t i = (*s == '-' || *s == '+') ? 1 : 0;
    size_t digits = 0;
    while (isdigit((unsigned char)s[i]) || s[i] == '.') {
        digits += s[i] != '.';
        i++;
    }
    if (digits == 0)
        return fault(p, start,
                     *s ? "expected a number or a column name"
                        : "expected a number or a column name, found the end",
                     NULL);
    if ((s[i] == 'e' || s[i] == 'E') &&
        (isdigit((unsigned char)s[i + 1]) ||
         ((s[i + 1] == '-' || s[i + 1] == '+') &&
          isdigit((unsigned char)s[i + 2])))) {
        i += 2;
        while (isdigit((unsigned char)s[i]))
            i++;
    }
    char buf[64], *end;
    if (i >= sizeof buf)
        return fault(p, start, "number too long", NULL);
    memcpy(buf, s, i);
    buf[i] = '\0';
    *o = (operand){.col = -1, .num = strtod(buf, &end)};
    if (*end != '\0' || !isfinite(o->num))
        return fault(p, start, "not a number", NULL);
    p->pos += i;
    return 0;
}

/* A comparison operator at p->pos into *op. */
static int parse_op(parser *p, cmp_op *op)
{
    skip_space(p);
    const char *s = p->text + p->pos;
    static const struct {
        const char *text;
        cmp_op op;
    } ops[] = {{"<=", OP_LE}, {">=", OP_GE}, {"==", OP_EQ}, {"!=", OP_NE},
               {"<", OP_LT},  {">", OP_GT}};
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
        if (!strncmp(s, ops[i].text, strlen(ops[i].text))) {
            *op = ops[i].op;
            p->pos += strlen(ops[i].text);
            return 0;
        }
    if (*s == '=')
        return fault(p, p->pos, "'=' is not a comparison; write '=='", NULL);
    return fault(p, p->pos,
                 *s ? "expected a comparison (<, <=, >, >=, ==, !=)"
                    : "expected a comparison (<, <=, >, >=, ==, !=), found "
                      "the end",
                 NULL);
}

static int parse_or(parser *p, int *idx);

/* unary = "!" unary | "(" expr ")" | compare */
static int parse_unary(parser *p, int *idx)
{
    skip_space(p);
    size_t start = p->pos;
    if (++p->depth > EXPR_MAX_DEPTH)
        return fault(p, start, "nested too deeply", NULL);
    int rc;
    const char *s = p->text + start;
    if (s[0] == '!' && s[1] != '=') {
        p->pos++;
        int a;
        rc = parse_unary(p, &a);
        if (!rc)
            rc = add_node(p, (node){.kind = N_NOT, .a = a}, idx);
    } else if (s[0] == '(') {
        p->pos++;
        rc = parse_or(p, idx);
        skip_space(p);
        char open[48];
        snprintf(open, sizeof open, " to close the '(' at column %zu",
                 start + 1);
        if (!rc && p->text[p->pos] != ')')
            rc = fault(p, p->pos, "expected ')'", open);
        if (!rc)
            p->pos++;
    } else {
        node nd = {.kind = N_CMP};
        rc = parse_operand(p, &nd.l);
        if (!rc)
            rc = parse_op(p, &nd.op);
        if (!rc)
            rc = parse_operand(p, &nd.r);
        if (!rc)
            rc = add_node(p, nd, idx);
    }
    p->depth--;
    return rc;
}

/* and = unary { "&&" unary }; or = and { "||" and } */
static int parse_chain(parser *p, int *idx, bool is_or)
{
    int rc = is_or ? parse_chain(p, idx, false) : parse_unary(p, idx);
    const char *tok = is_or ? "||" : "&&";
    while (!rc) {
        skip_space(p);
        const char *s = p->text + p->pos;
        if (strncmp(s, tok, 2) != 0) {
            if (s[0] == tok[0] && s[1] != tok[0])
                return fault(p, p->pos,
                             is_or ? "'|' is not an operator; write '||'"
                                   : "'&' is not an operator; write '&&'",
                             NULL);
            break;
        }
        p->pos += 2;
        int b;
        rc = is_or ? parse_chain(p, &b, false) : parse_unary(p, &b);
        if (!rc)
            rc = add_node(p, (node){.kind = is_or ? N_OR : N_AND, .a = *idx,
                                    .b = b},
                          idx);
    }
    return rc;
}

static int parse_or(parser *p, int *idx) { return parse_chain(p, idx, true); }

int sim_expr_parse(const char *text, const char *const *names, int nnames,
                   sim_expr **out, sim_err *err)
{
    *out = NULL;
    if (!text)
        return sim_error(err, SIM_E_USAGE, "no outcome expression");
    sim_expr *e = calloc(1, sizeof *e);
    if (!e)
        return sim_error(err, SIM_E_NOMEM, "out of memory");
    parser p = {.text = text, .names = names, .nnames = nnames, .e = e,
                .err = err};
    int rc = 0;
    skip_space(&p);
    if (strlen(text) > EXPR_MAX_LEN)
        rc = sim_error(err, SIM_E_USAGE,
                       "outcome expression longer than %d characters",
                       EXPR_MAX_LEN);
    else if (!text[p.pos])
        rc = fault(&p, p.pos, "the expression is empty", NULL);
    if (!rc)
        rc = parse_or(&p, &e->root);
    skip_space(&p);
    if (!rc && text[p.pos])
        rc = fault(&p, p.pos,
                   text[p.pos] == ')'
                       ? "')' without a matching '('"
                       : "unexpected text after a complete expression "
                         "(join comparisons with && or ||)",
                   NULL);
    if (rc) {
        sim_expr_free(e);
        return rc;
    }
    *out = e;
    return 0;
}

static double value(const operand *o, const double *values)
{
    return o->col >= 0 ? values[o->col] : o->num;
}

static bool eval_node(const sim_expr *e, int i, const double *values)
{
    const node *nd = &e->nodes[i];
    switch (nd->kind) {
    case N_OR:
        return eval_node(e, nd->a, values) || eval_node(e, nd->b, values);
    case N_AND:
        return eval_node(e, nd->a, values) && eval_node(e, nd->b, values);
    case N_NOT:
        return !eval_node(e, nd->a, values);
    case N_CMP:
        break;
    }
    double l = value(&nd->l, values), r = value(&nd->r, values);
    switch (nd->op) {
    case OP_LT:
        return l < r;
    case OP_LE:
        return l <= r;
    case OP_GT:
        return l > r;
    case OP_GE:
        return l >= r;
    case OP_EQ:
        return l == r;
    case OP_NE:
        return l != r;
    }
    return false;
}

bool sim_expr_eval(const sim_expr *e, const double *values)
{
    return eval_node(e, e->root, values);
}

static void note_col(int col, int *cols, int max, int *n)
{
    if (col < 0)
        return;
    for (int i = 0; i < *n && i < max; i++)
        if (cols[i] == col)
            return;
    if (*n < max)
        cols[*n] = col;
    (*n)++;
}

int sim_expr_columns(const sim_expr *e, int *cols, int max)
{
    int n = 0;
    for (int i = 0; i < e->n; i++)
        if (e->nodes[i].kind == N_CMP) {
            note_col(e->nodes[i].l.col, cols, max, &n);
            note_col(e->nodes[i].r.col, cols, max, &n);
        }
    return n;
}

void sim_expr_free(sim_expr *e)
{
    if (!e)
        return;
    free(e->nodes);
    free(e);
}
