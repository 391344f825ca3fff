atf_test_case status
status_head() { atf_set descr "x"; }
status_body() { atf_check -o inline:"ready\n" $(atf_get_srcdir)/../../../usr.sbin/micctl/micctl; }
atf_init_test_cases() { atf_add_test_case status; }
