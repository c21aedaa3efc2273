// Integration tests talk to real servers and run real workflows: minutes, not seconds.
jest.setTimeout(600_000);
