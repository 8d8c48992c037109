-- a policy may give up with error()
error("policy author gave up")
