/* Build struct mg_policy values by hand, without Lua, for unit tests. */
#ifndef MG_TEST_FIXTURE_H
#define MG_TEST_FIXTURE_H

#include <stdlib.h>
#include <string.h>

#include "minerguard_abi.h"
#include "policy.h"

static inline void fx_add(struct mg_rule_def *r, enum mg_list l, const char *s)
{
	struct mg_strvec *v = &r->lists[l];

	v->v = realloc(v->v, (v->n + 1) * sizeof(char *));
	v->v[v->n++] = strdup(s);
}

static inline struct mg_rule_def *fx_rule(struct mg_policy *p, const char *name,
					  int action, unsigned hooks)
{
	struct mg_rule_def *r;

	p->rules = realloc(p->rules, (p->nrules + 1) * sizeof(*p->rules));
	r = &p->rules[p->nrules++];
	memset(r, 0, sizeof(*r));
	r->name = strdup(name);
	r->file = strdup("fixture.lua");
	r->line = (int)p->nrules;
	r->action = action;
	r->hooks = hooks;
	return r;
}

static inline void fx_free(struct mg_policy *p)
{
	for (size_t i = 0; i < p->nrules; i++) {
		for (int l = 0; l < MG_LIST_COUNT; l++) {
			for (size_t k = 0; k < p->rules[i].lists[l].n; k++)
				free(p->rules[i].lists[l].v[k]);
			free(p->rules[i].lists[l].v);
		}
		free(p->rules[i].name);
		free(p->rules[i].file);
	}
	free(p->rules);
	memset(p, 0, sizeof(*p));
}

#endif
