"""The cover engine and the claim rules: pure, no I/O (DOMAIN.md PA, AS, LA, CL).

Start at ``engine.decide``; ``facts`` (what a claim says), ``contract`` (what the policy
says), ``decision`` (what the engine answers); one module per cover family: ``accident``
(PA), ``assistance`` (AS), ``eprotection`` (LA), ``declaration`` (CL and the declaration
windows), ``exclusions`` (every exclusion list with its Dutch source), ``territory``,
``deadlines`` (PA-8, LA-6, LA-8), ``dates``.
"""
