using System;
using System.Security.Cryptography.X509Certificates;
using AstronetesWorkloadIdentity.Engine;

namespace AstronetesWorkloadIdentity.Commands
{
    /// <summary>Finds a client certificate by thumbprint where Az and the Azure CLI look: the user's store, then the machine's.</summary>
    internal static class CertificateStoreLookup
    {
        public static X509Certificate2 Find(string thumbprint)
        {
            string wanted = thumbprint.Replace(" ", string.Empty).ToUpperInvariant();
            foreach (StoreLocation location in new[] { StoreLocation.CurrentUser, StoreLocation.LocalMachine })
            {
                using (var store = new X509Store(StoreName.My, location))
                {
                    try
                    {
                        store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
                    }
                    catch (Exception)
                    {
                        continue; // some platforms have no machine store
                    }

                    foreach (X509Certificate2 certificate in store.Certificates.Find(X509FindType.FindByThumbprint, wanted, validOnly: false))
                    {
                        if (certificate.HasPrivateKey) return certificate;
                    }
                }
            }

            throw new InputValidationException("CertificateThumbprint", thumbprint, "the thumbprint of a certificate with its private key in the CurrentUser or LocalMachine 'My' store");
        }
    }
}
