"""The auction rules, pure: `decide(state, command, now)` and `evolve(state, event)` over immutable values.

Every format and rule, the lifecycle table, the commands and events, money, what each role may see and the rules
in words. Nothing here does I/O, reads a clock, or imports pydantic, asyncio, SQLAlchemy or a file loader (an
import-linter contract in pyproject.toml holds it so). The live server and the auditor's replay fold the same
`evolve`."""
