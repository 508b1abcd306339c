"""ammoflow's terminal interfaces: the headless command line (``cli``) and the explorer."""
