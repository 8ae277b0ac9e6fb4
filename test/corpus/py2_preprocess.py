# Python 2 preprocessing job for the support-ticket classifier.
import csv
import json
import urllib2

import pandas as pd

OUT_DIR = "/data/tickets/processed"  # expect: hardcoded-path


def load(path):
    rows = []
    with open(path) as fh:
        for row in csv.DictReader(fh):
            rows.append(row)
    print "read %d rows from %s" % (len(rows), path)  # expect: print-logging, syntax-error
    return pd.DataFrame(rows)


def clean(df):
    df[df.subject.isnull()]["subject"] = ""  # expect: chained-assignment
    df.loc[df.body.isnull(), "body"] = ""  # ok: chained-assignment
    return df


def fetch_labels(url):
    try:
        return json.load(urllib2.urlopen(url))  # expect: request-without-timeout
    except Exception, exc:  # expect: swallowed-error
        print "label fetch failed:", exc  # expect: print-logging


if __name__ == "__main__":
    frame = clean(load("raw/tickets.csv"))
    frame.to_csv(OUT_DIR + "/tickets.csv", index=False)
    print "done"  # expect: print-logging
