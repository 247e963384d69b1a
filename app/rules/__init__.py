"""The district's rules as data people can read (规则设置, 资金和激励规则)."""
