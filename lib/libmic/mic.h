const char *mic_state_name(int);
