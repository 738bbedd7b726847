"""The auditor's side: replay of a journal (the same fold as the live server plus chain, rule and contract
checks), the tender's audit, and the narrated replay (`replay --watch`)."""
