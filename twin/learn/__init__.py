"""Learning agents for seed 000's uplink MIMO-NOMA: environment, post-actor, P-DDPG, oracle."""
