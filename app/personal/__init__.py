"""Personal information (个人信息保护法): consent to the user agreement and the privacy notice,
the person's own data to download, and closing the account."""
