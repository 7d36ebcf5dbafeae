module memacct/goservice

go 1.19
