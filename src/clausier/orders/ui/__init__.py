"""The order screens: the back-office board, order page, actions and late executions; the
portal's orders and online ordering."""
